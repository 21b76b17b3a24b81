using System.Collections.Concurrent;
using System.Globalization;

namespace NewsFeed.Reliability;

/// <summary>Every answer the flood's clients got, counted (thread-safe): by status, by kind of request, and what went wrong.</summary>
internal sealed class FloodTally
{
    private readonly ConcurrentDictionary<int, long> _byStatus = new();
    private readonly ConcurrentDictionary<(FloodAsk, int), long> _byAsk = new();
    private readonly ConcurrentDictionary<string, byte> _variants = new();
    private readonly ConcurrentQueue<string> _serverErrorSamples = new();
    private readonly ConcurrentQueue<string> _unansweredSamples = new();
    private readonly ConcurrentQueue<string> _wrongStatusSamples = new();
    private long _requests;
    private long _bytes;
    private long _unanswered;
    private long _wrongStatus;
    private long _redirectsFollowed;
    private int _deepest;

    public long Requests => Interlocked.Read(ref _requests);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long ServerErrors => _byStatus.Where(s => s.Key >= 500).Sum(s => s.Value);
    public long ServiceUnavailable => _byStatus.GetValueOrDefault(503);
    /// <summary>No status (refused, reset, timed out) or a body cut short or undecodable.</summary>
    public long Unanswered => Interlocked.Read(ref _unanswered);
    /// <summary>A status below 500 other than the one the request's kind calls for.</summary>
    public long WrongStatus => Interlocked.Read(ref _wrongStatus);
    public long RedirectsFollowed => Interlocked.Read(ref _redirectsFollowed);
    public int DeepestPage => Volatile.Read(ref _deepest);
    public int DistinctUrls => _variants.Count;
    /// <summary>The first few of each kind of failure, for the report.</summary>
    public string ServerErrorSamples => string.Join("; ", _serverErrorSamples);
    public string UnansweredSamples => string.Join("; ", _unansweredSamples);
    public string WrongStatusSamples => string.Join("; ", _wrongStatusSamples);

    public static int Expected(FloodAsk ask) => ask switch
    {
        FloodAsk.NonCanonical => 301,
        FloodAsk.Malformed => 400,
        _ => 200,
    };

    /// <summary>A <c>next</c> link may lead through a redirect (an old <c>?page=</c> link to its cursor form); the client follows it.</summary>
    private static bool IsExpected(FloodAsk ask, int status) =>
        status == Expected(ask) || (ask == FloodAsk.NextPage && status is 301 or 302 or 307 or 308);

    /// <param name="status">0 when no answer came; <paramref name="problem"/> then says what happened.</param>
    /// <param name="problem">What was wrong with an answer beside its status (cut short, undecodable), or why none came.</param>
    public void Record(FloodAsk ask, string target, int status, long bytes, string? problem)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytes, bytes);
        _variants.TryAdd(target, 0);
        _byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
        _byAsk.AddOrUpdate((ask, status), 1, (_, n) => n + 1);
        if (status == 0 || problem is not null)
        {
            Interlocked.Increment(ref _unanswered);
            Sample(_unansweredSamples, $"{target}: {(status == 0 ? "" : $"{status}, ")}{problem}");
        }
        else if (status >= 500)
        {
            Sample(_serverErrorSamples, $"{target}: {status}");
        }
        else if (!IsExpected(ask, status))
        {
            Interlocked.Increment(ref _wrongStatus);
            Sample(_wrongStatusSamples, $"{target}: {status}, expected {Expected(ask)}");
        }
    }

    public void Redirected() => Interlocked.Increment(ref _redirectsFollowed);

    public void ReachedPage(int depth)
    {
        var seen = Volatile.Read(ref _deepest);
        while (depth > seen)
        {
            var was = Interlocked.CompareExchange(ref _deepest, depth, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    /// <summary>"200: 1,234; 301: 56; …" over every request.</summary>
    public string StatusLine() => Line(_byStatus.OrderBy(s => s.Key).Select(s => (Name(s.Key), s.Value)));

    /// <summary>Per kind of request: how many, and their statuses.</summary>
    public string AskLine(FloodAsk ask)
    {
        var rows = _byAsk.Where(a => a.Key.Item1 == ask).OrderBy(a => a.Key.Item2).Select(a => (Name(a.Key.Item2), a.Value)).ToList();
        return $"{rows.Sum(r => r.Value):N0} ({(rows.Count == 0 ? "none" : Line(rows))})";
    }

    private static string Name(int status) => status == 0 ? "no answer" : status.ToString(CultureInfo.InvariantCulture);

    private static string Line(IEnumerable<(string Name, long Count)> rows) =>
        string.Join(", ", rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Name}: {r.Count:N0}")));

    private static void Sample(ConcurrentQueue<string> samples, string line)
    {
        if (samples.Count < 5) samples.Enqueue(line);
    }
}
