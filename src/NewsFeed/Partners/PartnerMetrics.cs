using System.Diagnostics.Metrics;
using NewsFeed.Instance;

namespace NewsFeed.Partners;

/// <summary>Partner poll metrics on the "NewsFeed" meter.</summary>
internal sealed class PartnerMetrics
{
    private readonly Counter<long> _polls;
    private readonly Histogram<double> _duration;

    public PartnerMetrics(IMeterFactory meterFactory, InstanceIdentity instance)
    {
        var meter = NewsFeedMeter.Create(meterFactory, instance);
        _polls = meter.CreateCounter<long>("newsfeed.partner.polls", description: "Partner feed polls, by outcome.");
        _duration = meter.CreateHistogram<double>("newsfeed.partner.poll.duration", unit: "ms", description: "Time to fetch, parse and store one partner feed.");
    }

    public void Polled(PollOutcome outcome, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome.Tag());
        _polls.Add(1, tag);
        _duration.Record(milliseconds, tag);
    }
}
