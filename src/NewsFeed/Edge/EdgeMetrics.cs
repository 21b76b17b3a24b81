using System.Diagnostics.Metrics;
using NewsFeed.Instance;

namespace NewsFeed.Edge;

/// <summary>Edge purge metrics on the NewsFeed meter (docs/metrics.md).</summary>
internal sealed class EdgeMetrics
{
    private readonly Counter<long> _purges;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _delay;

    public EdgeMetrics(IMeterFactory meterFactory, InstanceIdentity instance)
    {
        var meter = NewsFeedMeter.Create(meterFactory, instance);
        _purges = meter.CreateCounter<long>("newsfeed.edge.purges", description: "Keys purged at the edge, by purger type and outcome (sent, failed).");
        _duration = meter.CreateHistogram<double>("newsfeed.edge.purge.duration", unit: "ms", description: "Time of one purge request, retries included, by purger type and outcome.");
        _delay = meter.CreateHistogram<double>("newsfeed.edge.purge.delay", unit: "ms", description: "Time from the write that queued a key to its purge, by purger type.");
    }

    public void Purged(string type, string outcome, int keys, double milliseconds)
    {
        var typeTag = new KeyValuePair<string, object?>("purger", type);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        _purges.Add(keys, typeTag, outcomeTag);
        _duration.Record(milliseconds, typeTag, outcomeTag);
    }

    public void Delay(string type, double milliseconds) => _delay.Record(milliseconds, new KeyValuePair<string, object?>("purger", type));
}
