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
        _staleServed = meter.CreateCounter<long>("newsfeed.feed.cache.stale_served", description: "Feed requests answered from a copy that could not be checked: the store was unreachable.");
    }

    public void Rendered(FeedKey key, double milliseconds)
    {
        var format = new KeyValuePair<string, object?>("format", key.Format.Extension());
        var kind = new KeyValuePair<string, object?>("kind", key.Kind.ToString().ToLowerInvariant());
        _renders.Add(1, format, kind);
        _renderDuration.Record(milliseconds, format, kind);
    }

    public void CacheHit() => _cacheHits.Add(1);

    public void CacheMiss() => _cacheMisses.Add(1);

    public void NotModified() => _notModified.Add(1);

    public void StaleServed() => _staleServed.Add(1);
}
