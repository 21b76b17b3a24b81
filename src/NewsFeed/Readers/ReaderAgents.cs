using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewsFeed.Readers;

/// <summary>What a User-Agent says about who polls: an aggregator (with the subscribers it states), a reader app, or a bot.</summary>
internal enum ReaderKind
{
    Reader,
    Aggregator,
    Bot,
}

/// <param name="Name">The reader's name in the breakdown ("Feedly", "NetNewsWire", "Other").</param>
/// <param name="Subscribers">The subscriber count an aggregator stated, if it stated one.</param>
/// <param name="FeedId">The aggregator's own id of the feed, when it gives one ("" otherwise).</param>
internal sealed record ReaderAgent(string Name, ReaderKind Kind, int? Subscribers, string FeedId)
{
    /// <summary>Counted as one direct reader per client and day: a reader app, or an aggregator that states no count (at least one person).</summary>
    public bool CountsClients => Kind == ReaderKind.Reader || (Kind == ReaderKind.Aggregator && Subscribers is null);
}

/// <summary>
/// The User-Agent forms of readers and aggregators (<c>reader-agents.json</c>, data beside the code), and a bounded
/// cache of what each distinct User-Agent came to: a reader polls with the same string every time, so each is
/// parsed once; past <c>maxCached</c> distinct strings, new ones are parsed and not kept.
/// </summary>
internal sealed class ReaderAgents
{
    public static readonly ReaderAgent Other = new("Other", ReaderKind.Reader, null, "");
    public static readonly ReaderAgent Unnamed = new("No User-Agent", ReaderKind.Reader, null, "");

    private readonly Form[] _forms;
    private readonly Regex _subscribers;
    private readonly Regex _feedId;
    private readonly ConcurrentDictionary<string, ReaderAgent> _cache = new(StringComparer.Ordinal);
    private readonly int _maxCached;
    private int _cached;

    public ReaderAgents(int maxCached = 10_000)
    {
        _maxCached = maxCached;
        using var stream = typeof(ReaderAgents).Assembly.GetManifestResourceStream("NewsFeed.Readers.reader-agents.json")
            ?? throw new InvalidOperationException("reader-agents.json is not embedded.");
        using var json = JsonDocument.Parse(stream);
        var defaults = json.RootElement.GetProperty("defaults");
        _subscribers = Pattern(defaults.GetProperty("subscribers").GetString()!);
        _feedId = Pattern(defaults.GetProperty("feedId").GetString()!);
        _forms = [.. json.RootElement.GetProperty("forms").EnumerateArray().Select(form => new Form(
            form.GetProperty("name").GetString()!,
            Enum.Parse<ReaderKind>(form.GetProperty("kind").GetString()!, ignoreCase: true),
            Pattern(form.GetProperty("match").GetString()!),
            form.TryGetProperty("subscribers", out var subscribers) ? Pattern(subscribers.GetString()!) : _subscribers,
            form.TryGetProperty("feedId", out var feedId) ? Pattern(feedId.GetString()!) : _feedId))];
    }

    /// <summary>The names of every form, in the order they are tried.</summary>
    public IEnumerable<string> Names => _forms.Select(form => form.Name);

    /// <summary>Who a User-Agent is; from the cache after its first time.</summary>
    public ReaderAgent Of(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent)) return Unnamed;
        if (_cache.TryGetValue(userAgent, out var known)) return known;
        var parsed = Parse(userAgent);
        if (_cached < _maxCached && _cache.TryAdd(userAgent, parsed))
        {
            Interlocked.Increment(ref _cached);
        }
        return parsed;
    }

    /// <summary>Parses one User-Agent against the forms, without the cache.</summary>
    public ReaderAgent Parse(string userAgent)
    {
        // Longer strings are no reader's: a cap keeps a hostile header from costing regex time.
        if (userAgent.Length > 512) return Other;
        try
        {
            return Match(userAgent);
        }
        catch (RegexMatchTimeoutException)
        {
            // Counting never fails a response: a string no pattern could read in time is nobody we know.
            return Other;
        }
    }

    private ReaderAgent Match(string userAgent)
    {
        foreach (var form in _forms)
        {
            if (!form.Match.IsMatch(userAgent)) continue;
            if (form.Kind != ReaderKind.Aggregator) return new ReaderAgent(form.Name, form.Kind, null, "");
            return new ReaderAgent(form.Name, form.Kind, FirstGroup(form.Subscribers, userAgent) is { } count
                && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var subscribers) ? subscribers : null,
                FirstGroup(form.FeedId, userAgent) ?? "");
        }
        return Other;
    }

    private static string? FirstGroup(Regex pattern, string text)
    {
        var match = pattern.Match(text);
        if (!match.Success) return null;
        for (var i = 1; i < match.Groups.Count; i++)
        {
            if (match.Groups[i].Success) return match.Groups[i].Value;
        }
        return null;
    }

    /// <summary>
    /// Interpreted, not compiled: each distinct User-Agent is matched once, so compiling some 40 patterns to IL (and
    /// JIT-compiling each on its first match, slow on a busy machine) would cost more than it saves.
    /// </summary>
    private static Regex Pattern(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(500));

    private sealed record Form(string Name, ReaderKind Kind, Regex Match, Regex Subscribers, Regex FeedId);
}
