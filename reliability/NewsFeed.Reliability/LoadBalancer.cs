using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace NewsFeed.Reliability;

/// <summary>
/// HAProxy (the Debian package) on a loopback port in front of the cluster's instances, configured the way an
/// operator would put it there: round robin, an instance taken out when <c>/readyz</c> fails, a request whose
/// instance died retried on another, short timeouts. Every answer names the instance that served it in
/// <c>X-Served-By</c>, so a write can be traced to the instance that took it.
/// </summary>
internal sealed class LoadBalancer : IDisposable
{
    /// <summary>The response header with the HAProxy server name (an instance's name, or name-fallback).</summary>
    public const string ServedByHeader = "X-Served-By";

    private readonly Process _process;
    private readonly StreamWriter _log;

    private LoadBalancer(Process process, StreamWriter log, Uri address, string configPath)
    {
        _process = process;
        _log = log;
        Address = address;
        ConfigPath = configPath;
    }

    public Uri Address { get; }

    public string ConfigPath { get; }

    /// <summary>Writes the configuration for these instances (name → port), starts HAProxy, waits until it routes.</summary>
    public static async Task<LoadBalancer> StartAsync(string workDirectory, IReadOnlyList<(string Name, int Port)> instances)
    {
        var port = NewsFeedServer.FreePort();
        var configPath = Path.Combine(workDirectory, "haproxy.cfg");
        await File.WriteAllTextAsync(configPath, Config(port, instances));
        var start = new ProcessStartInfo("haproxy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // -db: stay in the foreground, so the process is ours to stop; -f: our file only.
        foreach (var argument in new[] { "-db", "-f", configPath }) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("haproxy did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("haproxy is missing: apt-get install haproxy (reliability/run does, as root).");
        }
        var log = Path.Combine(workDirectory, "haproxy.log");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { lock (writer) if (e.Data is not null) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (writer) if (e.Data is not null) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var balancer = new LoadBalancer(process, writer, new Uri($"http://127.0.0.1:{port}/"), configPath);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited) throw new InvalidOperationException($"haproxy exited with code {process.ExitCode}; see {log} and {configPath}.");
            try
            {
                using var ready = await client.GetAsync(new Uri(balancer.Address, "readyz"));
                if (ready.StatusCode == HttpStatusCode.OK && ready.Headers.Contains(ServedByHeader)) return balancer;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        balancer.Dispose();
        throw new TimeoutException($"haproxy did not route to a ready instance within 20 seconds; see {log}.");
    }

    /// <summary>The instance an answer came from ("a-fallback" is instance a), or null when HAProxy answered itself.</summary>
    public static string? ServedBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ServedByHeader, out var values) ? values.First().Split('-')[0] : null;

    /// <summary>
    /// The configuration. Each instance is a server checked on /readyz every 250 ms (down at the first failure, up
    /// after two passes). When every instance reports not ready (the database is down), the same instances serve as
    /// unchecked backups: they still answer feeds from their caches, which is better than HAProxy's own 503.
    /// A request that could not be sent, or got no answer, is retried up to 3 times, each on another instance
    /// (redispatch): the articles API writes with PUT and DELETE, which are idempotent (RFC 9110 §9.2.2).
    /// </summary>
    internal static string Config(int port, IReadOnlyList<(string Name, int Port)> instances)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            global
                maxconn 4096

            defaults
                mode http
                timeout connect 500ms
                timeout client 30s
                timeout server 10s
                timeout check 1s
                timeout http-request 10s
                retries 3
                option redispatch 1
                retry-on conn-failure empty-response response-timeout
                option http-buffer-request

            frontend newsfeed
                bind 127.0.0.1:{port}
                default_backend instances

            backend instances
                balance roundrobin
                option allbackups
                option httpchk
                http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost
                http-check expect status 200
                default-server inter 250ms fall 1 rise 2
                http-response set-header {ServedByHeader} %s

            """);
        foreach (var (name, instancePort) in instances)
        {
            text.Append(CultureInfo.InvariantCulture, $"    server {name} 127.0.0.1:{instancePort} check\n");
        }
        foreach (var (name, instancePort) in instances)
        {
            text.Append(CultureInfo.InvariantCulture, $"    server {name}-fallback 127.0.0.1:{instancePort} backup\n");
        }
        return text.ToString();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        // Also waits until the output pipes are drained, so nothing is written to the log after it is closed.
        _process.WaitForExit();
        _process.Dispose();
        lock (_log) _log.Dispose();
    }
}
