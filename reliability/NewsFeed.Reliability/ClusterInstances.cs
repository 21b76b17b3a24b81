using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsFeed.Reliability;

/// <summary>
/// The cluster phase's NewsFeed instances (a, b, c): the Release build, each on a loopback port of its own that it
/// keeps across restarts (HAProxy knows the instances by port), all on one store. Killed with SIGKILL and
/// started again, one at a time.
/// </summary>
internal sealed class ClusterInstances : IDisposable
{
    public static readonly string[] Names = ["a", "b", "c"];

    /// <summary>Every partner's poll interval; Partners:MaxPollDelay is the same, so a poll is due exactly this long after the last one ended.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(3);

    /// <summary>How long a partner poll's lease lasts: a killed instance's partner is polled again by another after this.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly SuitePaths _paths;
    private readonly Dictionary<string, Dictionary<string, string>> _settings;
    private readonly Dictionary<string, NewsFeedServer?> _running = [];

    private ClusterInstances(SuitePaths paths, Dictionary<string, Dictionary<string, string>> settings, Dictionary<string, int> ports)
    {
        _paths = paths;
        _settings = settings;
        Ports = ports;
    }

    public IReadOnlyDictionary<string, int> Ports { get; }

    public Uri Address(string name) => new($"http://127.0.0.1:{Ports[name]}/");

    public string LogPath(string name) => Path.Combine(_paths.WorkDirectory, $"cluster-{name}.log");

    /// <summary>
    /// Writes the partner registry and starts the three instances together (so their migrations race, as they
    /// would in a deployment) on the given store: "Postgres" with the connection string, or "Sqlite" (one file for
    /// all, for trying the harness on a build without the PostgreSQL store; the instances' caches will then disagree).
    /// </summary>
    public static async Task<ClusterInstances> StartAsync(SuitePaths paths, string apiKey, string store, string connectionString, Uri hub, FlappingPartner partners)
    {
        var registry = Path.Combine(paths.WorkDirectory, "cluster-partners.json");
        await File.WriteAllTextAsync(registry, Registry(partners));
        var ports = Names.ToDictionary(name => name, _ => NewsFeedServer.FreePort());
        var settings = Names.ToDictionary(name => name, name => Settings(paths, apiKey, store, connectionString, hub, registry, name));
        var instances = new ClusterInstances(paths, settings, ports);
        try
        {
            await Task.WhenAll(Names.Select(instances.StartAsync));
            return instances;
        }
        catch
        {
            instances.Dispose();
            throw;
        }
    }

    /// <summary>Starts the named instance on its port and waits until /readyz answers 200.</summary>
    public async Task StartAsync(string name)
    {
        var server = await NewsFeedServer.StartAsync(_paths, _settings[name], LogPath(name), Ports[name]);
        lock (_running) _running[name] = server;
    }

    /// <summary>SIGKILL: no lease released, no outbox row finished, nothing flushed.</summary>
    public void Kill(string name)
    {
        NewsFeedServer? server;
        lock (_running)
        {
            server = _running.GetValueOrDefault(name);
            _running[name] = null;
        }
        server?.Dispose();
    }

    public bool IsRunning(string name)
    {
        lock (_running) return _running.GetValueOrDefault(name) is { HasExited: false };
    }

    /// <summary>Waits until every instance answers /readyz with 200 (after the database came back).</summary>
    public async Task<bool> WaitAllReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();
        var pending = new HashSet<string>(Names);
        while (pending.Count > 0 && clock.Elapsed < timeout)
        {
            foreach (var name in pending.ToList())
            {
                try
                {
                    using var ready = await client.GetAsync(new Uri(Address(name), "readyz"));
                    if (ready.IsSuccessStatusCode) pending.Remove(name);
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                }
            }
            if (pending.Count > 0) await Task.Delay(50);
        }
        return pending.Count == 0;
    }

    /// <summary>Graceful stops at the end (SIGTERM; shutdown releases leases), each instance's exit code.</summary>
    public async Task<Dictionary<string, int?>> StopAllAsync()
    {
        List<(string Name, NewsFeedServer Server)> running;
        lock (_running) running = [.. _running.Where(r => r.Value is not null).Select(r => (r.Key, r.Value!))];
        var codes = await Task.WhenAll(running.Select(r => r.Server.StopAsync(TimeSpan.FromSeconds(30))));
        return running.Select((r, i) => (r.Name, codes[i])).ToDictionary(r => r.Name, r => r.Item2);
    }

    public void Dispose()
    {
        foreach (var name in Names) Kill(name);
    }

    private static Dictionary<string, string> Settings(SuitePaths paths, string apiKey, string store, string connectionString, Uri hub, string registry, string name)
    {
        var settings = paths.ServerSettings("cluster", apiKey, hub);
        settings["Storage:Provider"] = store;
        settings["ConnectionStrings:NewsFeed"] = connectionString;
        settings["Instance:Id"] = name;
        settings["Partners:RegistryPath"] = registry;
        settings["Partners:AllowPrivateAddresses"] = "true";
        settings["Partners:LeaseTime"] = LeaseTime.ToString("c");
        settings["Partners:TickInterval"] = TickInterval.ToString("c");
        settings["Partners:MinPollInterval"] = "00:00:02";
        settings["Partners:DefaultPollInterval"] = PollInterval.ToString("c");
        // No backoff and no jitter: every poll is one request, due one interval after the last ended, so the
        // partner server's request log alone tells a double poll or a missed one.
        settings["Partners:MaxPollDelay"] = PollInterval.ToString("c");
        settings["Partners:Jitter"] = "0";
        settings["Partners:MaxRetries"] = "0";
        settings["Partners:BreakerMinimumThroughput"] = "1000";
        // A poll must end within its lease (the app insists): the slow partner answers in 4 s, within the attempt.
        settings["Partners:AttemptTimeout"] = "00:00:06";
        settings["Partners:TotalTimeout"] = "00:00:08";
        // The writer, the read-back of every write and the latency probes are not what the rate limits are about.
        settings["RateLimits:AdminPermitLimit"] = "1000000";
        // Times on every log line, to tell an error during the database restart from one outside it.
        settings["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        settings["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true";
        return settings;
    }

    /// <summary>The registry file: the flapping partners, polled every few seconds.</summary>
    private static string Registry(FlappingPartner partners) => new JsonObject
    {
        ["partners"] = new JsonArray([.. FlappingPartner.Partners.Select(p => (JsonNode)new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = $"Partner {p.Id}",
            ["url"] = partners.FeedUrl(p.Id).ToString(),
            ["section"] = "world",
            ["pollInterval"] = PollInterval.ToString("c"),
            // Said outright: the registry reader stores an entry without "enabled" as disabled.
            ["enabled"] = true,
            ["attribution"] = $"Courtesy of {p.Id}",
        })]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
