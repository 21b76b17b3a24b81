using System.Diagnostics;
using System.Globalization;

namespace NewsFeed.Reliability;

/// <summary>One PURGE Varnish answered: the keys, when it ended, and its status.</summary>
internal sealed record PurgeLine(string[] Keys, DateTimeOffset End, int Status);

/// <summary>
/// A real Varnish 7 (Debian's varnishd with vmod_xkey) on a loopback port in front of one NewsFeed, with the
/// repository's VCL (edge/varnish/newsfeed.vcl; only the backend's port is changed), its own working directory
/// (-n) and a malloc store, and two varnishncsa logs: every backend request (what the origin was asked) and every
/// PURGE (the keys and when Varnish finished it).
/// </summary>
internal sealed class VarnishEdge : IDisposable
{
    private readonly string _name;
    private readonly Process _varnishd;
    private readonly Process _backendLog;
    private readonly Process _purgeLog;
    private readonly string _backendLogPath;
    private readonly string _purgeLogPath;

    private VarnishEdge(string name, Process varnishd, Process backendLog, Process purgeLog, string backendLogPath, string purgeLogPath, Uri address)
    {
        _name = name;
        _varnishd = varnishd;
        _backendLog = backendLog;
        _purgeLog = purgeLog;
        _backendLogPath = backendLogPath;
        _purgeLogPath = purgeLogPath;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<VarnishEdge> StartAsync(SuitePaths paths, Uri origin, int port, string workDirectory)
    {
        var vcl = await File.ReadAllTextAsync(Path.Combine(paths.RepoRoot, "edge", "varnish", "newsfeed.vcl"));
        var backendPort = $".port = \"{origin.Port.ToString(CultureInfo.InvariantCulture)}\";";
        if (!vcl.Contains(".port = \"8080\";", StringComparison.Ordinal)) throw new InvalidOperationException("edge/varnish/newsfeed.vcl no longer names its backend port as .port = \"8080\";");
        Directory.CreateDirectory(workDirectory);
        var vclPath = Path.Combine(workDirectory, "newsfeed.vcl");
        await File.WriteAllTextAsync(vclPath, vcl.Replace(".port = \"8080\";", backendPort, StringComparison.Ordinal));
        var name = Path.Combine(workDirectory, "varnish");
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        // -F: in the foreground, so this process owns it; -j none: no privilege separation (the suite's own files).
        var varnishd = Start("varnishd", ["-F", "-n", name, "-j", "none", "-a", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-f", vclPath, "-s", "malloc,256m"],
            Path.Combine(workDirectory, "varnishd.log"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (varnishd.HasExited) throw new InvalidOperationException($"varnishd exited with {varnishd.ExitCode}; see {workDirectory}/varnishd.log.");
            try
            {
                using var answer = await client.GetAsync(new Uri(address, "healthz"));
                break;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
        var backendLogPath = Path.Combine(workDirectory, "backend.log");
        var purgeLogPath = Path.Combine(workDirectory, "purges.log");
        var backendLog = Start("varnishncsa", ["-n", name, "-b", "-F", "%m %U%q %s", "-w", backendLogPath], Path.Combine(workDirectory, "varnishncsa-b.log"));
        var purgeLog = Start("varnishncsa", ["-n", name, "-c", "-q", "ReqMethod eq \"PURGE\"", "-F", "%{xkey-purge}i|%{sec}t|%{usec_frac}t|%D|%s", "-w", purgeLogPath],
            Path.Combine(workDirectory, "varnishncsa-c.log"));
        // varnishncsa reads the shared log from where it is when it attaches: give both a moment before any request.
        await Task.Delay(500);
        return new VarnishEdge(name, varnishd, backendLog, purgeLog, backendLogPath, purgeLogPath, address);
    }

    /// <summary>Backend requests by URL (path and query): what the origin was asked for through Varnish.</summary>
    public Dictionary<string, int> OriginRequests()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!File.Exists(_backendLogPath)) return counts;
        foreach (var line in ReadShared(_backendLogPath))
        {
            var parts = line.Split(' ');
            if (parts.Length >= 2) counts[parts[1]] = counts.GetValueOrDefault(parts[1]) + 1;
        }
        return counts;
    }

    public List<PurgeLine> Purges()
    {
        var purges = new List<PurgeLine>();
        if (!File.Exists(_purgeLogPath)) return purges;
        foreach (var line in ReadShared(_purgeLogPath))
        {
            var parts = line.Split('|');
            if (parts.Length != 5) continue;
            var start = long.Parse(parts[1], CultureInfo.InvariantCulture) * 1_000_000 + long.Parse(parts[2], CultureInfo.InvariantCulture);
            var end = DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks((start + long.Parse(parts[3], CultureInfo.InvariantCulture)) * 10);
            purges.Add(new PurgeLine(parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), end, int.Parse(parts[4], CultureInfo.InvariantCulture)));
        }
        return purges;
    }

    /// <summary>Varnish's counters (varnishstat -1), e.g. MAIN.cache_hit.</summary>
    public async Task<Dictionary<string, long>> CountersAsync()
    {
        var start = new ProcessStartInfo("varnishstat", ["-n", _name, "-1"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var stat = Process.Start(start)!;
        var output = await stat.StandardOutput.ReadToEndAsync();
        await stat.WaitForExitAsync();
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) counters[parts[0]] = value;
        }
        return counters;
    }

    /// <summary>Ends the log readers (so their files are complete), leaving Varnish running.</summary>
    public async Task FlushLogsAsync()
    {
        // varnishncsa writes each transaction when it ends; a moment lets the last ones out before it is stopped.
        await Task.Delay(500);
        foreach (var log in new[] { _backendLog, _purgeLog })
        {
            if (log.HasExited) continue;
            using (var term = Process.Start("kill", ["-TERM", log.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            await log.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        }
    }

    public void Dispose()
    {
        foreach (var process in new[] { _backendLog, _purgeLog, _varnishd })
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }

    private static IEnumerable<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line) yield return line;
    }

    private static Process Start(string program, string[] arguments, string outputPath)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        // Appended line by line, each write opening the file: what a process says after it ends is not lost or an error.
        void Write(string? line)
        {
            if (line is null) return;
            lock (start) File.AppendAllLines(outputPath, [line]);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
