using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace NewsFeed.Readers;

/// <summary>
/// Counts feed responses where they are sent (the Feeds folder calls <see cref="Record"/> once per 200 or 304 of a
/// feed document), in memory: a few interlocked adds and dictionary lookups, no lock taken by two requests of
/// one feed, no store access. <see cref="ReaderFlusher"/> takes what was counted to the store in batches.
/// </summary>
internal sealed class ReaderCounter(ReaderAgents agents, TimeProvider time, IOptions<ReadersOptions> options)
{
    private const long MillisecondsPerDay = 86_400_000;

    private readonly ConcurrentDictionary<string, FeedSlot> _feeds = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReaderTally> _retired = new();
    private readonly int _maxClients = options.Value.MaxClientsPerFeed;
    private readonly CoarseClock _clock = new(time);

    /// <summary>Days since 1970-01-01 of a moment, in UTC.</summary>
    public static int DayOf(DateTimeOffset at) => (int)(at.ToUnixTimeMilliseconds() / MillisecondsPerDay);

    public static DateTimeOffset StartOf(int day) => DateTimeOffset.FromUnixTimeMilliseconds(day * MillisecondsPerDay);

    /// <param name="feed">The feed, every format as one: its path stem below <c>feeds/</c> (<c>latest</c>, <c>sections/world</c>).</param>
    /// <param name="bytes">Body bytes sent (0 for a 304 or a HEAD).</param>
    public void Record(string feed, HttpContext context, bool notModified, long bytes)
    {
        var now = _clock.UnixMilliseconds();
        var day = (int)(now / MillisecondsPerDay);
        // Most requests a thread serves in a row are polls of one feed (each response holds its feed's name as one
        // string), often by one client on one keep-alive connection: the thread remembers the last of them.
        var last = _last ??= new LastRecorded();
        if (!ReferenceEquals(last.Feed, feed) || last.Counter != this)
        {
            last.Feed = feed;
            last.Counter = this;
            last.Slot = Slot(feed);
        }
        var slot = last.Slot!;
        var tally = slot.Current;
        if (tally is null || tally.Day != day)
        {
            tally = Roll(slot, day);
        }
        tally.Count(notModified, bytes);

        var userAgent = context.Request.Headers.UserAgent.ToString();
        var address = context.Connection.RemoteIpAddress;
        if (last.Client.Matches(tally, address, userAgent))
        {
            // Already held for this flush (or taken by it, which is what holding it was for): nothing to add.
            return;
        }
        var agent = agents.Of(userAgent);
        if (agent.Kind == ReaderKind.Aggregator && agent.Subscribers is not null)
        {
            tally.Report(agent, now);
        }
        else if (agent.CountsClients && tally.Client(address, userAgent, agent) is { } generation)
        {
            last.Client = new(tally, generation, address, userAgent);
        }
    }

    private FeedSlot Slot(string feed) =>
        _feeds.TryGetValue(feed, out var slot) ? slot : _feeds.GetOrAdd(feed, name => new FeedSlot(name));

    /// <summary>Every tally with something to flush: each feed's current day, and days the clock has moved past.</summary>
    public IReadOnlyList<ReaderTally> Tallies()
    {
        var tallies = new List<ReaderTally>(_feeds.Count + _retired.Count);
        // A retired day is flushed twice (a request that read the slot just before the day turned may still add
        // to it once), then forgotten.
        var retired = _retired.Count;
        for (var i = 0; i < retired && _retired.TryDequeue(out var old); i++)
        {
            tallies.Add(old);
            if (!old.Forgettable)
            {
                old.Forgettable = true;
                _retired.Enqueue(old);
            }
        }
        foreach (var slot in _feeds.Values)
        {
            if (slot.Current is { } current) tallies.Add(current);
        }
        return tallies;
    }

    private ReaderTally Roll(FeedSlot slot, int day)
    {
        lock (slot)
        {
            var current = slot.Current;
            if (current is not null && current.Day >= day) return current;
            if (current is not null) _retired.Enqueue(current);
            var fresh = new ReaderTally(slot.Feed, day, _maxClients);
            slot.Current = fresh;
            return fresh;
        }
    }

    /// <summary>
    /// What this thread recorded last: the feed's slot (found by the feed string's reference, not its hash), and the
    /// client it held, which it need not look up again while the tally and its flush generation are the same.
    /// </summary>
    [ThreadStatic]
    private static LastRecorded? _last;

    private sealed class LastRecorded
    {
        public string? Feed;
        public ReaderCounter? Counter;
        public FeedSlot? Slot;
        public HeldClient Client;
    }

    /// <summary>A client <see cref="ReaderTally.Client"/> held, in the tally's flush <paramref name="Generation"/>.</summary>
    private readonly record struct HeldClient(ReaderTally? Tally, int Generation, IPAddress? Address, string? UserAgent)
    {
        public bool Matches(ReaderTally tally, IPAddress? address, string userAgent) =>
            ReferenceEquals(Tally, tally) && Generation == tally.Generation
            && string.Equals(UserAgent, userAgent, StringComparison.Ordinal) && Equals(Address, address);
    }

    private sealed class FeedSlot(string feed)
    {
        public string Feed { get; } = feed;

        public volatile ReaderTally? Current;
    }
}
