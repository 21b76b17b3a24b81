using Microsoft.Extensions.Options;
using NewsFeed.Instance;
using NewsFeed.Storage;

namespace NewsFeed.WebSub;

/// <summary>
/// The WebSub publisher (W3C WebSub §7), fed by the transactional outbox: every change the stores commit
/// carries its messages (one per hub and changed feed), and this service, on whichever instance claims them,
/// pings the hub with <c>hub.mode=publish</c> for each of the feed's topic URLs (every format). Each hub has
/// its own loop, so a hub that hangs delays only its own pings. A failed ping is retried by the client's
/// resilience pipeline, then again from the outbox with a growing delay, across restarts, until
/// <see cref="WebSubOptions.MaxAttempts"/>; a failure is logged in one line and never reaches the write.
/// </summary>
internal sealed partial class WebSubDispatcher(
    IOutbox outbox,
    OutboxRecipients hubs,
    WebSubClient client,
    WebSubTopics topics,
    IOptions<WebSubOptions> options,
    InstanceIdentity instance,
    WebSubMetrics metrics,
    ILogger<WebSubDispatcher> logger) : BackgroundService
{
    // Real time, not the app's clock: due times and claims are waits on the network (tests fake the app's clock for embargoes).
    private readonly TimeProvider _time = TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Claims this instance id still holds are from a process that died with them (restarted under the same
            // Instance:Id): it is sending none of them, so they are free now rather than when their leases end.
            await ReleaseClaimsAsync();
            await Task.WhenAll(hubs.Names.Select(hub => Task.Run(() => DispatchAsync(hub, stoppingToken), CancellationToken.None)));
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

    private async Task DispatchAsync(string hub, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // A claim outlives the longest send (the message's topics go out side by side, each within TotalTimeout)
        // with a margin; a killed instance's claims are free again after it.
        var lease = settings.TotalTimeout + TimeSpan.FromSeconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var written = hubs.NextWrite;
                var claimed = await outbox.ClaimAsync(hub, instance.Id, _time.GetUtcNow(), lease, settings.Concurrency, stoppingToken);
                if (claimed.Count == 0)
                {
                    // Woken by this instance's writes (and, on PostgreSQL, other instances'); the interval covers the rest.
                    await Task.WhenAny(written, Task.Delay(settings.OutboxPollInterval, _time, stoppingToken));
                    continue;
                }
                await Task.WhenAll(claimed.Select(message => SendAsync(message, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (StoreUnavailable.Is(exception))
            {
                LogStoreUnavailable(hub, exception.Message);
                try
                {
                    await Task.Delay(settings.OutboxPollInterval * 5, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task SendAsync(OutboxMessage message, CancellationToken stoppingToken)
    {
        string? failure = null;
        await Task.WhenAll(topics.OfStem(message.Topic).Select(async url =>
        {
            try
            {
                await client.PublishAsync(message.Recipient, url, stoppingToken);
                metrics.Ping("delivered");
                LogDelivered(message.Recipient, url);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong with this hub (network, timeout, open circuit, a 4xx): counted, and the
                // message is sent again later (its other topics too: delivery is at least once).
                metrics.Ping("failed");
                Volatile.Write(ref failure, exception.Message);
            }
        }));
        if (failure is null)
        {
            await outbox.CompleteAsync(message, instance.Id, _time.GetUtcNow(), CancellationToken.None);
            return;
        }
        var attempt = message.Attempts + 1;
        if (attempt >= options.Value.MaxAttempts)
        {
            LogGaveUp(message.Recipient, message.Topic, attempt, failure);
            await outbox.CompleteAsync(message, instance.Id, _time.GetUtcNow(), CancellationToken.None);
            return;
        }
        var delay = RetryDelay(attempt);
        LogFailed(message.Recipient, message.Topic, attempt, failure, delay);
        await outbox.RetryAsync(message, instance.Id, _time.GetUtcNow() + delay, failure, CancellationToken.None);
    }

    /// <summary>Doubling from <see cref="WebSubOptions.OutboxRetryDelay"/>, at most <see cref="WebSubOptions.OutboxMaxRetryDelay"/>.</summary>
    private TimeSpan RetryDelay(int attempt)
    {
        var settings = options.Value;
        var delay = settings.OutboxRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        return delay < settings.OutboxMaxRetryDelay ? delay : settings.OutboxMaxRetryDelay;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSub hub {Hub} notified of {Topic}")]
    private partial void LogDelivered(string hub, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSub hub {Hub} was not notified of {Topic} (attempt {Attempt}): {Reason}; trying again in {Delay}")]
    private partial void LogFailed(string hub, string topic, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSub hub {Hub} was not notified of {Topic} after {Attempt} attempts: {Reason}; given up (its subscribers' polls see the change)")]
    private partial void LogGaveUp(string hub, string topic, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSub pings to {Hub} wait: the store is unavailable ({Reason})")]
    private partial void LogStoreUnavailable(string hub, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSub could not hand back its claimed pings at shutdown ({Reason}); they are sent when the claims expire")]
    private partial void LogReleaseFailed(string reason);
}
