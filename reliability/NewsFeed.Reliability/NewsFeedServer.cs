using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NewsFeed.Reliability;

/// <summary>
/// The Release build of NewsFeed as its own OS process on a loopback port and its own SQLite file, started,
/// watched (resident memory from /proc) and ended the way an operator or a crash would: SIGTERM or SIGKILL.
/// </summary>
internal sealed class NewsFeedServer : IDisposable
{
    private readonly Process _process;
    private readonly ServerLog _log;

    private NewsFeedServer(Process process, ServerLog log, Uri address, string logPath)
    {
        _process = process;
        _log = log;
        Address = address;
        LogPath = logPath;
    }

    public Uri Address { get; }

    /// <summary>Everything the server wrote to stdout and stderr.</summary>
    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has ended (of itself or killed), else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts the server with these settings ("Section:Key") and waits until /readyz answers 200.</summary>
    /// <param name="port">The loopback port; by default a free one. A cluster instance restarts on its own port, as behind a load balancer.</param>
    public static async Task<NewsFeedServer> StartAsync(SuitePaths paths, IReadOnlyDictionary<string, string> settings, string logPath, int? port = null)
    {
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = paths.AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(paths.AppDirectory, "NewsFeed.dll"));
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var log = new ServerLog(logPath);
        process.OutputDataReceived += (_, e) => log.Write(e.Data);
        process.ErrorDataReceived += (_, e) => log.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new NewsFeedServer(process, log, address, logPath);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it was ready; see {logPath}.");
            }
            try
            {
                using var ready = await client.GetAsync(new Uri(address, "readyz"));
                if (ready.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        server.Kill();
        throw new TimeoutException($"The server was not ready within 60 seconds; see {logPath}.");
    }

    /// <summary>Resident set size now (VmRSS), in bytes; 0 once the process is gone.</summary>
    public long ResidentBytes() => ReadStatus("VmRSS:");

    /// <summary>The peak resident set size so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => ReadStatus("VmHWM:");

    /// <summary>SIGKILL: no shutdown hooks, no flushing; only what SQLite made durable survives.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it: in-flight requests finish, hosted services stop.</summary>
    /// <returns>The exit code, or null when it did not stop within the timeout (it is then killed).</returns>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return _process.ExitCode;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return null;
        }
    }

    public void Dispose()
    {
        Kill();
        // WaitForExit (in Kill) also waits for the output pipes to drain, so the log is complete.
        _process.WaitForExit();
        _log.Dispose();
        _process.Dispose();
    }

    /// <summary>A loopback port nothing listens on (the OS's choice, released at once).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private long ReadStatus(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
                var kilobytes = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>The server's output, appended line by line; lines that arrive after disposal are dropped.</summary>
    private sealed class ServerLog(string path) : IDisposable
    {
        private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
        private bool _disposed;

        public void Write(string? line)
        {
            if (line is null) return;
            lock (_writer)
            {
                if (!_disposed) _writer.WriteLine(line);
            }
        }

        public void Dispose()
        {
            lock (_writer)
            {
                _disposed = true;
                _writer.Dispose();
            }
        }
    }
}
