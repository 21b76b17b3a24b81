using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace NewsFeed.Reliability;

/// <summary>
/// The cluster phase's readers: a checking reader (<see cref="FeedChecker"/>) through HAProxy and one on each
/// instance directly, every answer kept with its time; and, while PostgreSQL is down, readers of feeds that were
/// cached just before it stopped (through HAProxy and on each instance), which must still get 200 or 304.
/// </summary>
internal sealed class ClusterReaders(Uri balancer, ClusterInstances instances, Newsroom newsroom) : IDisposable
{
    public const string ThroughBalancer = "haproxy";

    /// <summary>
    /// Feeds held copy never touches (no embargo lifts in them) and partners do not feed (IncludeInSections is off):
    /// with the newsroom paused, nothing moves them while the database is down, so each instance must answer them
    /// from its cache.
    /// </summary>
    public static readonly string[] CachedPaths = [.. new[] { "sections/world", "sections/business", "sections/technology", "authors/world-desk", "authors/nadia-okafor" }
        .SelectMany(feed => new[] { "rss", "atom", "json" }.Select(format => $"/feeds/{feed}.{format}"))];

    private readonly ConcurrentQueue<(string Via, ReaderAnswer Answer)> _answers = new();
    private readonly ConcurrentQueue<(string Via, ReaderAnswer Answer)> _degraded = new();
    private readonly ConcurrentDictionary<(string Via, string Path), EntityTagHeaderValue> _warm = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(5) };

    public IReadOnlyCollection<(string Via, ReaderAnswer Answer)> Answers => _answers;

    public IReadOnlyCollection<(string Via, ReaderAnswer Answer)> DuringDatabaseRestart => _degraded;

    /// <summary>Starts the checking readers; they read until <paramref name="stop"/>.</summary>
    public List<Task> Start(IReadOnlyList<string> paths, CancellationToken stop)
    {
        // A second of grace for a retraction to reach every instance: propagation is measured by the probes, and
        // the readers only catch an instance that never dropped the story.
        var grace = TimeSpan.FromSeconds(1);
        var readers = new List<Task>
        {
            new FeedChecker(balancer, paths, [newsroom], TimeSpan.FromMilliseconds(20), grace, a => _answers.Enqueue((ThroughBalancer, a))).RunAsync(300, stop),
        };
        foreach (var name in ClusterInstances.Names)
        {
            var checker = new FeedChecker(instances.Address(name), paths, [newsroom], TimeSpan.FromMilliseconds(50), grace, a => _answers.Enqueue((name, a)));
            readers.Add(checker.RunAsync(310 + name[0], stop));
        }
        return readers;
    }

    /// <summary>Reads every cached path on every instance and through HAProxy, so each instance has them cached.</summary>
    public async Task WarmAsync()
    {
        foreach (var via in Vias())
        {
            foreach (var path in CachedPaths)
            {
                using var response = await _client.GetAsync(new Uri(Address(via), path.TrimStart('/')));
                if (response.Headers.ETag is { } etag) _warm[(via, path)] = etag;
            }
        }
    }

    /// <summary>Reads the cached paths in turn, half of them conditionally, until the database and every instance are back.</summary>
    public async Task ReadCachedAsync(Task back)
    {
        var turn = 0;
        while (!back.IsCompleted)
        {
            foreach (var via in Vias())
            {
                var path = CachedPaths[turn % CachedPaths.Length];
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Address(via), path.TrimStart('/')));
                if (turn % 2 == 0 && _warm.TryGetValue((via, path), out var etag)) request.Headers.IfNoneMatch.Add(etag);
                var asked = DateTimeOffset.UtcNow;
                try
                {
                    using var response = await _client.SendAsync(request);
                    _degraded.Enqueue((via, new ReaderAnswer(asked, DateTimeOffset.UtcNow, path, (int)response.StatusCode, null, LoadBalancer.ServedBy(response))));
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    _degraded.Enqueue((via, new ReaderAnswer(asked, DateTimeOffset.UtcNow, path, 0, error.Message, null)));
                }
            }
            turn++;
            await Task.WhenAny(back, Task.Delay(20));
        }
    }

    /// <summary>Answers of 500 or more through HAProxy, outside the database restart and inside it.</summary>
    public (List<ReaderAnswer> Outside, int Inside) ServerErrorsThroughBalancer(FaultWindow? database)
    {
        var errors = _answers.Where(a => a.Via == ThroughBalancer && a.Answer.Status >= 500).Select(a => a.Answer).ToList();
        var inside = errors.Count(a => database?.Overlaps(a.Asked, a.Answered) == true);
        return ([.. errors.Where(a => database?.Overlaps(a.Asked, a.Answered) != true)], inside);
    }

    /// <summary>Bad answers (or none) outside every fault window, per reader; and how many fell inside one.</summary>
    public (List<string> Outside, int Inside) Problems(IReadOnlyList<FaultWindow> windows)
    {
        var bad = _answers.Where(a => a.Answer.Problem is not null || a.Answer.Status == 0).ToList();
        var outside = bad.Where(a => !windows.Any(w => w.Overlaps(a.Answer.Asked, a.Answer.Answered))).ToList();
        return ([.. outside.Select(a => $"{a.Via} {a.Answer.Asked:HH:mm:ss.fff} {a.Answer.Path}: {a.Answer.Problem ?? a.Answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}")], bad.Count - outside.Count);
    }

    private static IEnumerable<string> Vias() => ClusterInstances.Names.Prepend(ThroughBalancer);

    public void Dispose() => _client.Dispose();

    private Uri Address(string via) => via == ThroughBalancer ? balancer : instances.Address(via);
}
