using System.Diagnostics.Metrics;
using NewsFeed.Instance;
using NewsFeed.Articles;

namespace NewsFeed.Publishing;

/// <summary>Publish metrics on the NewsFeed meter.</summary>
internal sealed class PublishingMetrics
{
    private readonly Counter<long> _writes;
    private readonly Histogram<double> _latency;

    public PublishingMetrics(IMeterFactory meterFactory, InstanceIdentity instance)
    {
        var meter = NewsFeedMeter.Create(meterFactory, instance);
        _writes = meter.CreateCounter<long>("newsfeed.publish.writes", description: "Admin API article writes by outcome.");
        _latency = meter.CreateHistogram<double>("newsfeed.publish.duration", unit: "ms", description: "Time to validate and durably store one article.");
    }

    public void Published(UpsertOutcome outcome, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant());
        _writes.Add(1, tag);
        _latency.Record(milliseconds, tag);
    }
}
