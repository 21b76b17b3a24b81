using System.Diagnostics.Metrics;
using NewsFeed.Instance;

namespace NewsFeed.Readers;

/// <summary>Reader counting's own health on the "NewsFeed" meter: flushes to the store by outcome, and the rows they wrote.</summary>
internal sealed class ReaderMetrics
{
    private readonly Counter<long> _flushes;
    private readonly Counter<long> _rows;

    public ReaderMetrics(IMeterFactory meterFactory, InstanceIdentity instance)
    {
        var meter = NewsFeedMeter.Create(meterFactory, instance);
        _flushes = meter.CreateCounter<long>("newsfeed.readers.flushes", description: "Flushes of reader counts to the store, by outcome (ok, failed).");
        _rows = meter.CreateCounter<long>("newsfeed.readers.flushed_rows", description: "Rows a flush wrote, by kind (days, reports, clients).");
    }

    public void Flushed(ReaderBatch batch)
    {
        _flushes.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        _rows.Add(batch.Days.Count, new KeyValuePair<string, object?>("kind", "days"));
        _rows.Add(batch.Reports.Count, new KeyValuePair<string, object?>("kind", "reports"));
        _rows.Add(batch.Clients.Count, new KeyValuePair<string, object?>("kind", "clients"));
    }

    public void FlushFailed() => _flushes.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
}
