using System.Diagnostics;
using Microsoft.Extensions.Options;
using NewsFeed.Feeds;
using NewsFeed.Outbox;
using NewsFeed.Storage;

namespace NewsFeed.Edge;

/// <summary>
/// Purges at the edge what each committed write changed. The stores queue one outbox message per purger and
/// topic in the write's transaction (the feeds and archive months the write touched); the outbox dispatcher
/// claims them in batches (<see cref="EdgeOptions.BatchSize"/>) and hands them here, and one request purges the
/// batch's keys. A failed purge is retried by the client's pipeline, then again from the outbox with a growing
/// delay; it never reaches the write.
/// </summary>
internal sealed partial class EdgePurgeSender : IOutboxSender
{
    private readonly Dictionary<string, EdgePurger> _purgers;
    private readonly EdgePurgeClient _client;
    private readonly EdgeTagging _tagging;
    private readonly EdgeMetrics _metrics;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ILogger<EdgePurgeSender> _logger;

    public EdgePurgeSender(EdgePurgeClient client, IOptions<EdgeOptions> options, EdgeTagging tagging, EdgeMetrics metrics, ILogger<EdgePurgeSender> logger)
    {
        var settings = options.Value;
        _purgers = settings.Purgers.SelectMany(EdgePurger.Of).DistinctBy(purger => purger.Name).ToDictionary(purger => purger.Name, StringComparer.Ordinal);
        _client = client;
        _tagging = tagging;
        _metrics = metrics;
        _logger = logger;
        Recipients = [.. _purgers.Keys];
        Delivery = new(settings.BatchSize, settings.MaxAttempts, settings.OutboxRetryDelay, settings.OutboxMaxRetryDelay, settings.OutboxPollInterval,
            settings.TotalTimeout + TimeSpan.FromSeconds(10));
    }

    public string Kind => "Edge purger";

    public IReadOnlyList<string> Recipients { get; }

    /// <summary>An edge caches archive documents too: a correction of an archived story purges its month.</summary>
    public bool TakesArchiveTopics => true;

    public OutboxDelivery Delivery { get; }

    public async Task<IReadOnlyList<string?>> SendAsync(string recipient, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        if (!_purgers.TryGetValue(recipient, out var purger))
        {
            // A purger no longer configured: nothing to send its messages to.
            return [.. messages.Select(_ => "no such purger is configured any more")];
        }
        var keys = messages.Select(message => _tagging.KeyOf(message.Topic)).ToList();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _client.PurgeAsync(purger, keys, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.Purged(purger.Type, "failed", keys.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return [.. messages.Select(_ => exception.Message)];
        }
        _metrics.Purged(purger.Type, "sent", keys.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var now = _time.GetUtcNow();
        foreach (var message in messages)
        {
            _metrics.Delay(purger.Type, Math.Max(0, (now - message.CreatedAt).TotalMilliseconds));
        }
        LogPurged(purger.Name, keys.Count);
        return new string?[messages.Count];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Purger} purged {Count} keys")]
    private partial void LogPurged(string purger, int count);
}
