using System.Collections.Concurrent;
using System.Net;

namespace NewsFeed.Readers;

/// <summary>
/// One feed's counts for one UTC day, in memory until the flusher takes them: requests, 304s and bytes
/// (drained as deltas), the latest report of each aggregator and feed-id, and the clients seen since the last
/// flush (a repeated client costs one lookup; the flusher takes them away as keyed hashes, and the store keeps
/// each hash once, so memory holds at most the clients of one flush interval).
/// </summary>
internal sealed class ReaderTally(string feed, int day, int maxClients)
{
    private readonly StripedCounter _requests = new();
    private readonly StripedCounter _notModified = new();
    private readonly StripedCounter _bytes = new();
    private int _clientCount;
    private int _generation;

    public string Feed { get; } = feed;

    /// <summary>Days since 1970-01-01 (UTC).</summary>
    public int Day { get; } = day;

    public ConcurrentDictionary<(string Reader, string FeedId), AggregatorReport> Reports { get; } = new();

    /// <summary>Clients seen since the last flush, with the reader app each is.</summary>
    public ConcurrentDictionary<ClientKey, string> Clients { get; } = new();

    /// <summary>A past day already flushed once after it was retired: the next flush is its last.</summary>
    public bool Forgettable { get; set; }

    /// <summary>Clients not kept because the cap between two flushes was reached (a flood of addresses): not counted.</summary>
    public long ClientsDropped;

    public void Count(bool notModified, long bytes)
    {
        _requests.Increment();
        if (notModified) _notModified.Increment();
        if (bytes > 0) _bytes.Add(bytes);
    }

    public void Report(ReaderAgent agent, long at)
    {
        var key = (agent.Name, agent.FeedId);
        if (!Reports.TryGetValue(key, out var report))
        {
            report = Reports.GetOrAdd(key, _ => new AggregatorReport());
        }
        report.Set(agent.Subscribers!.Value, at);
    }

    /// <summary>Holds the client unless the cap is reached; the flush generation it is held in, or null when dropped.</summary>
    public int? Client(IPAddress? address, string userAgent, ReaderAgent agent)
    {
        // Read before the lookup: a flush that starts meanwhile moves the generation on, and the caller looks again next time.
        var generation = Generation;
        var key = new ClientKey(address, userAgent);
        if (Clients.ContainsKey(key)) return generation;
        if (Volatile.Read(ref _clientCount) >= maxClients)
        {
            Interlocked.Increment(ref ClientsDropped);
            return null;
        }
        if (Clients.TryAdd(key, agent.Name)) Interlocked.Increment(ref _clientCount);
        return generation;
    }

    /// <summary>Moves on at each <see cref="TakeClients"/>, before it takes any: a client held in an older generation may have been taken since.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Takes the clients seen since the last call out of memory (one seen again meanwhile is simply taken next time).</summary>
    public List<(ClientKey Key, string Reader)> TakeClients()
    {
        Interlocked.Increment(ref _generation);
        var taken = new List<(ClientKey, string)>();
        foreach (var (key, reader) in Clients)
        {
            if (Clients.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref _clientCount);
                taken.Add((key, reader));
            }
        }
        return taken;
    }

    /// <summary>The requests, 304s and bytes counted since the last call.</summary>
    public (long Requests, long NotModified, long Bytes) TakeCounts() =>
        (_requests.Take(), _notModified.Take(), _bytes.Take());
}

/// <summary>A client as the hot path tells clients apart: its address and its whole User-Agent. Memory only, never stored.</summary>
internal readonly record struct ClientKey(IPAddress? Address, string UserAgent);

/// <summary>The latest subscriber count one aggregator stated for one of its feed-ids, and when.</summary>
internal sealed class AggregatorReport
{
    private readonly Lock _lock = new();

    public int Subscribers { get; private set; }

    /// <summary>Unix milliseconds of the report.</summary>
    public long At { get; private set; }

    /// <summary>The report last sent to the store (<see cref="At"/> then).</summary>
    public long FlushedAt { get; set; } = -1;

    public void Set(int subscribers, long at)
    {
        lock (_lock)
        {
            if (at < At) return;
            Subscribers = subscribers;
            At = at;
        }
    }

    public (int Subscribers, long At) Read()
    {
        lock (_lock) return (Subscribers, At);
    }
}
