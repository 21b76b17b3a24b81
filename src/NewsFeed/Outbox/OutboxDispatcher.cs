using NewsFeed.Instance;
using NewsFeed.Storage;

namespace NewsFeed.Outbox;

/// <summary>
/// Delivers the transactional outbox (<see cref="IOutbox"/>) for every <see cref="IOutboxSender"/>: WebSub's
/// pings, the edge's purges. Each recipient has its own loop, so a recipient that hangs delays only its own
/// messages. A loop claims what is due (on whichever instance claims it first), hands it to its sender, and
/// completes each message sent; one that failed is due again after a growing delay, across restarts, until its
/// sender's <see cref="OutboxDelivery.MaxAttempts"/>. A failure is logged in one line and never reaches the write.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IOutbox outbox,
    OutboxRecipients recipients,
    IEnumerable<IOutboxSender> senders,
    InstanceIdentity instance,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    // Real time, not the app's clock: due times and claims are waits on the network (tests fake the app's clock for embargoes).
    private readonly TimeProvider _time = TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = senders.SelectMany(sender => sender.Recipients.Select(recipient => (sender, recipient))).ToList();
        if (loops.Count == 0) return;
        try
        {
            // Claims this instance id still holds are from a process that died with them (restarted under the same
            // Instance:Id): it is sending none of them, so they are free now rather than when their leases end.
            await ReleaseClaimsAsync();
            await Task.WhenAll(loops.Select(loop => Task.Run(() => DispatchAsync(loop.sender, loop.recipient, stoppingToken), CancellationToken.None)));
        }
        finally
        {
            // Whatever this instance had claimed and not sent goes back to the others now, not at its claim's end.
            await ReleaseClaimsAsync();
        }
    }

    private async Task ReleaseClaimsAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await outbox.ReleaseAsync(instance.Id, timeout.Token);
        }
        catch (Exception exception) when (StoreUnavailable.Is(exception) || exception is OperationCanceledException)
        {
            LogReleaseFailed(exception.Message);
        }
    }

    private async Task DispatchAsync(IOutboxSender sender, string recipient, CancellationToken stoppingToken)
    {
        var delivery = sender.Delivery;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var written = recipients.NextWrite;
                var claimed = await outbox.ClaimAsync(recipient, instance.Id, _time.GetUtcNow(), delivery.Lease, delivery.BatchSize, stoppingToken);
                if (claimed.Count == 0)
                {
                    // Woken by this instance's writes (and, on PostgreSQL, other instances'); the interval covers the rest.
                    await Task.WhenAny(written, Task.Delay(delivery.PollInterval, _time, stoppingToken));
                    continue;
                }
                var failures = await sender.SendAsync(recipient, claimed, stoppingToken);
                await SettleAsync(sender, recipient, claimed, failures);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (StoreUnavailable.Is(exception))
            {
                LogStoreUnavailable(sender.Kind, recipient, exception.Message);
                try
                {
                    await Task.Delay(delivery.PollInterval * 5, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Completes what was sent; what failed is retried later or, out of attempts, given up. One log line per reason.</summary>
    private async Task SettleAsync(IOutboxSender sender, string recipient, IReadOnlyList<OutboxMessage> claimed, IReadOnlyList<string?> failures)
    {
        var delivery = sender.Delivery;
        var failed = new List<(OutboxMessage Message, string Reason)>();
        for (var i = 0; i < claimed.Count; i++)
        {
            if (failures[i] is { } reason)
            {
                failed.Add((claimed[i], reason));
                continue;
            }
            await outbox.CompleteAsync(claimed[i], instance.Id, _time.GetUtcNow(), CancellationToken.None);
        }
        foreach (var group in failed.GroupBy(failure => failure.Reason, StringComparer.Ordinal))
        {
            var topics = Topics(group.Select(failure => failure.Message.Topic));
            var attempt = group.Max(failure => failure.Message.Attempts) + 1;
            if (attempt >= delivery.MaxAttempts)
            {
                LogGaveUp(sender.Kind, recipient, topics, attempt, group.Key);
            }
            else
            {
                LogFailed(sender.Kind, recipient, topics, attempt, group.Key, delivery.RetryDelayOf(attempt));
            }
            foreach (var (message, reason) in group)
            {
                var tries = message.Attempts + 1;
                if (tries >= delivery.MaxAttempts)
                {
                    await outbox.CompleteAsync(message, instance.Id, _time.GetUtcNow(), CancellationToken.None);
                }
                else
                {
                    await outbox.RetryAsync(message, instance.Id, _time.GetUtcNow() + delivery.RetryDelayOf(tries), reason, CancellationToken.None);
                }
            }
        }
    }

    private static string Topics(IEnumerable<string> topics)
    {
        var all = topics.ToList();
        return all.Count <= 5 ? string.Join(", ", all) : $"{string.Join(", ", all.Take(5))} and {all.Count - 5} more";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Recipient} was not sent {Topics} (attempt {Attempt}): {Reason}; trying again in {Delay}")]
    private partial void LogFailed(string kind, string recipient, string topics, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Recipient} was not sent {Topics} after {Attempt} attempts: {Reason}; given up")]
    private partial void LogGaveUp(string kind, string recipient, string topics, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Recipient}: messages wait, the store is unavailable ({Reason})")]
    private partial void LogStoreUnavailable(string kind, string recipient, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox dispatcher could not hand back its claimed messages at shutdown ({Reason}); they are sent when the claims expire")]
    private partial void LogReleaseFailed(string reason);
}
