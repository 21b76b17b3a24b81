using Microsoft.Extensions.Options;
using NewsFeed.Feeds;
using NewsFeed.Partners;
using NewsFeed.Readers;
using NewsFeed.Storage;

namespace NewsFeed.Dashboard;

/// <summary>Everything one dashboard page shows, read when it is asked for.</summary>
internal sealed class DashboardData(FeedStatsReader stats, IPartnerStore partners, IOutbox outbox, FeedMetrics feedMetrics, TimeProvider time, IOptions<DashboardOptions> options)
{
    public async Task<DashboardView> ReadAsync(CancellationToken cancellationToken)
    {
        var report = await stats.ReadAsync(options.Value.Days, cancellationToken);
        var partnerList = await partners.ListAsync(cancellationToken);
        var websub = await outbox.HealthAsync(cancellationToken);
        var (hits, misses) = feedMetrics.CacheCounts;
        return new DashboardView(report, partnerList, websub, hits, misses, time.GetUtcNow(), options.Value.ChartedFeeds);
    }
}

internal sealed record DashboardView(FeedStatsReport Stats, IReadOnlyList<PartnerStatus> Partners, OutboxHealth WebSub, long CacheHits, long CacheMisses,
    DateTimeOffset Now, int ChartedFeeds)
{
    /// <summary>Hits over lookups since this instance started; null before the first lookup.</summary>
    public double? CacheHitRatio => CacheHits + CacheMisses == 0 ? null : (double)CacheHits / (CacheHits + CacheMisses);
}
