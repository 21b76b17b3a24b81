using System.Diagnostics.Metrics;
using NewsFeed.Instance;

namespace NewsFeed.Feeds;

/// <summary>Feed metrics on the "NewsFeed" meter, ready for OpenTelemetry.</summary>
internal sealed class FeedMetrics
{
    private readonly Counter<long> _renders;
    private readonly Histogram<double> _renderDuration;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _notModified;
    private readonly Counter<long> _staleServed;
    private readonly Counter<long> _renderRefusals;
    private readonly StripedCounter _hitCount = new();
    private readonly StripedCounter _missCount = new();

    /// <summary>Outside the app (the cold-render benchmarks build one without a host): this process's default id.</summary>
    public FeedMetrics(IMeterFactory meterFactory) : this(meterFactory, new InstanceIdentity(new InstanceOptions().Id))
    {
    }

    public FeedMetrics(IMeterFactory meterFactory, InstanceIdentity instance)
    {
        var meter = NewsFeedMeter.Create(meterFactory, instance);
        _renders = meter.CreateCounter<long>("newsfeed.feed.renders", description: "Feed variants rendered from the store.");
        _renderDuration = meter.CreateHistogram<double>("newsfeed.feed.render.duration", unit: "ms", description: "Time to query and render one feed variant.");
        _cacheHits = meter.CreateCounter<long>("newsfeed.feed.cache.hits", description: "Feed requests answered from rendered bytes.");
        _cacheMisses = meter.CreateCounter<long>("newsfeed.feed.cache.misses", description: "Feed requests that found no fresh render.");
        _notModified = meter.CreateCounter<long>("newsfeed.feed.not_modified", description: "Conditional feed requests answered 304.");
        _staleServed = meter.CreateCounter<long>("newsfeed.feed.cache.stale_served", description: "Feed requests answered from a copy held, either unchecked (the store was unreachable) or older than the feed (its render was refused).");
        _renderRefusals = meter.CreateCounter<long>("newsfeed.feed.render.refused", description: "Feed requests whose cold render was refused (too many renders, or memory short): answered 503, or from an older copy.");
    }

    public void Rendered(FeedKey key, double milliseconds)
    {
        var format = new KeyValuePair<string, object?>("format", key.Format.Extension());
        var kind = new KeyValuePair<string, object?>("kind", key.Kind.ToString().ToLowerInvariant());
        _renders.Add(1, format, kind);
        _renderDuration.Record(milliseconds, format, kind);
    }

    public void CacheHit()
    {
        _cacheHits.Add(1);
        _hitCount.Increment();
    }

    public void CacheMiss()
    {
        _cacheMisses.Add(1);
        _missCount.Increment();
    }

    /// <summary>Feed cache hits and misses since this instance started, for the dashboard (the counters above are for exporters).</summary>
    public (long Hits, long Misses) CacheCounts => (_hitCount.Sum(), _missCount.Sum());

    public void NotModified() => _notModified.Add(1);

    /// <summary>A copy held was served instead of the current feed: the store was unreachable, or a render was refused.</summary>
    public void StaleServed(RenderRefusal? refusal = null) =>
        _staleServed.Add(1, new KeyValuePair<string, object?>("cause", refusal is null ? "store_unavailable" : "render_refused"));

    public void RenderRefused(RenderRefusal refusal) =>
        _renderRefusals.Add(1, new KeyValuePair<string, object?>("reason", refusal switch
        {
            RenderRefusal.QueueFull => "queue_full",
            RenderRefusal.QueueTimeout => "queue_timeout",
            _ => "memory",
        }));
}
