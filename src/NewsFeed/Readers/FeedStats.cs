using System.Globalization;

namespace NewsFeed.Readers;

/// <summary>The answer of <c>GET /api/stats/feeds?days=N</c>, and what the dashboard draws.</summary>
/// <param name="From">The first day shown (UTC, yyyy-MM-dd).</param>
/// <param name="To">The last day shown: today, still open.</param>
internal sealed record FeedStatsReport(string From, string To, int Days, IReadOnlyList<FeedStats> Feeds)
{
    /// <summary>Composes the report from the stored rows: circulation per day is the aggregators' latest counts (each feed-id once, feed-ids of one aggregator summed) plus distinct direct readers.</summary>
    public static FeedStatsReport Compose(ReaderRows rows, int fromDay, int toDay)
    {
        var feeds = rows.Days.Select(row => row.Feed).Concat(rows.Counts.Select(row => row.Feed)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var list = new List<FeedStats>();
        foreach (var feed in feeds)
        {
            var daily = new List<DayStats>();
            for (var day = fromDay; day <= toDay; day++)
            {
                var counts = rows.Counts.Where(row => row.Feed == feed && row.Day == day).ToList();
                var traffic = rows.Days.FirstOrDefault(row => row.Feed == feed && row.Day == day);
                if (counts.Count == 0 && traffic is null) continue;
                var aggregated = counts.Where(row => row.Kind == CountKind.Aggregator).Sum(row => row.Count);
                var direct = counts.Where(row => row.Kind == CountKind.Direct).Sum(row => row.Count);
                daily.Add(new DayStats(DateOf(day), aggregated + direct, aggregated, direct,
                    traffic?.Requests ?? 0, traffic?.NotModified ?? 0, traffic?.Bytes ?? 0));
            }
            var lastDay = rows.Counts.Where(row => row.Feed == feed).Select(row => row.Day).DefaultIfEmpty(toDay).Max();
            var readers = rows.Counts.Where(row => row.Feed == feed && row.Day == lastDay)
                .GroupBy(row => (row.Reader, row.Kind))
                .Select(group => new ReaderShare(group.Key.Reader, group.Key.Kind == CountKind.Aggregator ? "aggregator" : "direct", group.Sum(row => row.Count), group.Count(row => row.FeedId.Length > 0)))
                .OrderByDescending(share => share.Subscribers).ThenBy(share => share.Reader, StringComparer.Ordinal)
                .ToList();
            var requests = daily.Sum(day => day.Requests);
            var notModified = daily.Sum(day => day.NotModified);
            list.Add(new FeedStats(feed, DateOf(lastDay), readers.Sum(share => share.Subscribers), requests, notModified,
                requests == 0 ? 0 : Math.Round((double)notModified / requests, 4), daily.Sum(day => day.Bytes), readers, daily));
        }
        return new FeedStatsReport(DateOf(fromDay), DateOf(toDay), toDay - fromDay + 1, list);
    }

    public static string DateOf(int day) => ReaderCounter.StartOf(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <param name="Feed">The feed's path stem below /feeds/ (every format counted as one), e.g. <c>sections/world</c>.</param>
/// <param name="CirculationDate">The day <see cref="Circulation"/> and <see cref="Readers"/> are of: the latest with readers counted.</param>
/// <param name="Circulation">Subscribers aggregators reported plus distinct direct readers, on <see cref="CirculationDate"/>.</param>
/// <param name="NotModifiedShare">The share of requests answered 304, over the days shown.</param>
internal sealed record FeedStats(string Feed, string CirculationDate, long Circulation, long Requests, long NotModified, double NotModifiedShare, long Bytes,
    IReadOnlyList<ReaderShare> Readers, IReadOnlyList<DayStats> Daily);

/// <param name="Kind"><c>aggregator</c> (the subscribers it reported) or <c>direct</c> (distinct clients that polled themselves).</param>
/// <param name="FeedIds">How many of the aggregator's own feed-ids were summed (0 when it gives none).</param>
internal sealed record ReaderShare(string Reader, string Kind, long Subscribers, int FeedIds);

internal sealed record DayStats(string Date, long Circulation, long AggregatorSubscribers, long DirectReaders, long Requests, long NotModified, long Bytes);
