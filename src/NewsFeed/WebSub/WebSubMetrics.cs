using System.Diagnostics.Metrics;
using NewsFeed.Instance;

namespace NewsFeed.WebSub;

/// <summary>WebSub metrics on the NewsFeed meter.</summary>
internal sealed class WebSubMetrics
{
    private readonly Counter<long> _pings;

    public WebSubMetrics(IMeterFactory meterFactory, InstanceIdentity instance)
    {
        var meter = NewsFeedMeter.Create(meterFactory, instance);
        _pings = meter.CreateCounter<long>("newsfeed.websub.pings", description: "WebSub publish pings by outcome (delivered, failed, dropped).");
    }

    public void Ping(string outcome) => _pings.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
