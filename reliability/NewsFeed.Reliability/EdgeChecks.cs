using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsFeed.Reliability;

/// <summary>
/// The edge phase's checks, from three records: the newsroom's acknowledged writes, Varnish's PURGE log, and every
/// poll the readers made. A write's keys are its story's feeds (StoryDocument files story n under section, author
/// and tag n modulo their counts) and the current month's archive of latest.
/// </summary>
internal sealed partial class EdgeChecks(EdgePoller poller, List<PurgeLine> purges, List<AcknowledgedWrite> writes, DateTimeOffset started)
{
    private readonly List<Change> _changes = writes
        .Where(write => write.Kind is WriteKind.Publish or WriteKind.Correct or WriteKind.Retract)
        .Select(write => new Change(write, Serial(write.Title), Revision(write.Title)))
        .ToList();

    private readonly Dictionary<int, List<EdgePoll>> _pollsByUrl = poller.Polls.Where(poll => poll.Status == 200)
        .GroupBy(poll => poll.Url).ToDictionary(group => group.Key, group => group.OrderBy(poll => poll.Sent).ToList());

    private sealed record Change(AcknowledgedWrite Write, int Serial, int Revision)
    {
        public string[] Keys =>
        [
            "latest", "sections/" + Newsroom.Sections[Serial % Newsroom.Sections.Length], "authors/" + Newsroom.Authors[Serial % Newsroom.Authors.Length],
            "tags/" + Newsroom.Tags[Serial % Newsroom.Tags.Length], "latest/archive/" + Write.Sent.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>The first PURGE of <paramref name="key"/> that ended after the write was sent (none can come before: the outbox row is written with the change).</summary>
    private PurgeLine? PurgeOf(Change change, string key) =>
        purges.Where(purge => purge.End >= change.Write.Sent && purge.Keys.Contains(key)).MinBy(purge => purge.End);

    /// <summary>Every key of every acknowledged change is purged; the time from the write to the purge of latest.</summary>
    public void Purged(PhaseResult result)
    {
        var missing = _changes.SelectMany(change => change.Keys.Where(key => PurgeOf(change, key) is null).Select(key => $"{change.Write.Kind} of story {change.Serial}: {key}")).ToList();
        result.Require(missing.Count == 0, $"every key of every acknowledged change ({_changes.Count} changes) was purged at Varnish", $"{missing.Count} not: {string.Join(", ", missing.Take(5))}");
        // From the write request's sending (the purge can only follow its commit) to the end of the PURGE at Varnish;
        // the story written before the readers started (the first purge of a fresh process) is left out.
        var measured = _changes.Where(change => change.Write.Sent >= started).ToList();
        var times = measured.Select(change => PurgeOf(change, "latest") is { } purge ? (purge.End - change.Write.Sent).TotalMilliseconds : (double?)null)
            .OfType<double>().Order().ToList();
        var afterAck = measured.Select(change => PurgeOf(change, "latest") is { } purge ? (purge.End - change.Write.Acked).TotalMilliseconds : (double?)null)
            .OfType<double>().Order().ToList();
        result.Figures["Write acknowledged → purged at Varnish"] = $"median {Percentile(afterAck, 0.5):F1} ms, p99 {Percentile(afterAck, 0.99):F1} ms, max {(afterAck.Count > 0 ? afterAck[^1] : 0):F1} ms over {afterAck.Count} changes (negative: the purge ended before the answer reached the newsroom); {purges.Count} PURGE requests";
        result.Figures["Write sent → purged at Varnish"] = $"median {Percentile(times, 0.5):F1} ms, p99 {Percentile(times, 0.99):F1} ms (includes the write request itself: commit, and the answer on a machine the readers keep busy)";
        // The acknowledgement is when the newsroom knows the change is committed: the purge is measured from it.
        result.Require(Percentile(afterAck, 0.99) <= 100, $"p99 from acknowledged write to purge is at most 100 ms ({Percentile(afterAck, 0.99):F1} ms)", $"it is {Percentile(afterAck, 0.99):F1} ms");
    }

    /// <summary>Each change shows at the first poll sent after its purge, on every page-one URL of its feeds (each format, default limit).</summary>
    public void Visible(PhaseResult result)
    {
        var urls = poller.Urls.Select((url, index) => (url, index)).Where(entry => entry.url.StartsWith("feeds/", StringComparison.Ordinal) && !entry.url.Contains('?', StringComparison.Ordinal) && !entry.url.Contains("archive", StringComparison.Ordinal)).ToList();
        int checkedCount = 0, unpolled = 0;
        var stale = new List<string>();
        var visible = new List<double>();
        foreach (var change in _changes)
        {
            foreach (var (url, index) in urls.Where(entry => change.Keys.Contains(EdgeCache.KeyOf(entry.url))))
            {
                if (PurgeOf(change, EdgeCache.KeyOf(url)) is not { } purge) continue;
                var next = _pollsByUrl.GetValueOrDefault(index)?.FirstOrDefault(poll => poll.Sent > purge.End.UtcTicks);
                if (next is not { } poll)
                {
                    unpolled++;
                    continue;
                }
                checkedCount++;
                if (!Shows(change, poll)) stale.Add($"{url} after {change.Write.Kind} of story {change.Serial} (revision {change.Revision})");
                visible.Add(Math.Max(0, (new DateTimeOffset(poll.Answered, TimeSpan.Zero) - change.Write.Acked).TotalMilliseconds));
            }
        }
        visible.Sort();
        result.Figures["Write acknowledged → seen through Varnish"] = $"median {Percentile(visible, 0.5):F1} ms, p99 {Percentile(visible, 0.99):F1} ms (the first poll sent after the purge, {checkedCount} change × URL pairs; {unpolled} with no poll after the purge)";
        result.Require(checkedCount > 0 && stale.Count == 0, $"every acknowledged change shows at the first request after its purge ({checkedCount} change × URL pairs checked)", $"{stale.Count} did not: {string.Join("; ", stale.Take(5))}");
    }

    /// <summary>After the first fetch of each URL, the origin is asked at most once per purge of its key (a purge per change at most).</summary>
    public void OriginRequests(PhaseResult result, Dictionary<string, int> fetches)
    {
        int extra = 0, purged = 0, over = 0;
        double worst = 0;
        var offenders = new List<string>();
        var changesByKey = _changes.SelectMany(change => change.Keys).GroupBy(key => key).ToDictionary(group => group.Key, group => group.Count());
        foreach (var url in poller.Urls)
        {
            var key = EdgeCache.KeyOf(url);
            var purgesOfKey = purges.Count(purge => purge.End >= started && purge.Keys.Contains(key));
            var after = Math.Max(0, fetches.GetValueOrDefault("/" + url) - 1);
            extra += after;
            purged += purgesOfKey;
            var changes = changesByKey.GetValueOrDefault(key);
            if (changes > 0) worst = Math.Max(worst, (double)after / changes);
            if (after > purgesOfKey)
            {
                over++;
                offenders.Add($"{url}: {after} fetches after the first, {purgesOfKey} purges");
            }
        }
        var total = fetches.Values.Sum();
        result.Figures["Origin requests through Varnish"] = $"{total:N0} in all ({poller.Urls.Count} first fetches); {extra:N0} after them for {purged:N0} purges of the URLs' keys; at most {worst:F2} per URL per change (changes: {_changes.Count})";
        result.Require(over == 0, "the origin is asked at most once per feed variant per purge of it (so at most once per change)", string.Join("; ", offenders.Take(5)));
    }

    private bool Shows(Change change, EdgePoll poll)
    {
        var stories = poller.Bodies[poll.Body];
        var listed = stories.TryGetValue(change.Serial, out var revision);
        if (change.Write.Kind == WriteKind.Retract) return !listed;
        if (listed) return revision >= change.Revision;
        // Not listed: fine only if the story was retracted by a write sent before this poll was answered.
        return _changes.Any(other => other.Serial == change.Serial && other.Write.Kind == WriteKind.Retract && other.Write.Sent.UtcTicks <= poll.Answered);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static int Serial(string title) => int.Parse(TitleParts().Match(title).Groups[1].Value, CultureInfo.InvariantCulture);

    private static int Revision(string title) => int.Parse(TitleParts().Match(title).Groups[2].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"edge-(\d+): harbour lights \(revision (\d+)\)")]
    private static partial Regex TitleParts();
}
