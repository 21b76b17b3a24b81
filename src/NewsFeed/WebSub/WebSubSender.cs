using Microsoft.Extensions.Options;
using NewsFeed.Outbox;
using NewsFeed.Storage;

namespace NewsFeed.WebSub;

/// <summary>
/// The WebSub publisher (W3C WebSub §7), fed by the transactional outbox: every change the stores commit
/// carries its messages (one per hub and changed feed), and the outbox dispatcher, on whichever instance claims
/// them, hands them here to ping the hub with <c>hub.mode=publish</c> for each of the feed's topic URLs (every
/// format). A failed ping is retried by the client's resilience pipeline, then again from the outbox with a
/// growing delay, across restarts, until <see cref="WebSubOptions.MaxAttempts"/>.
/// </summary>
internal sealed partial class WebSubSender(
    WebSubClient client,
    WebSubTopics topics,
    IOptions<WebSubOptions> options,
    WebSubMetrics metrics,
    ILogger<WebSubSender> logger) : IOutboxSender
{
    public string Kind => "WebSub hub";

    public IReadOnlyList<string> Recipients { get; } = options.Value.Hubs.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Hubs hear of subscription documents only: an archive month is no topic.</summary>
    public bool TakesArchiveTopics => false;

    // A claim outlives the longest send (the message's topics go out side by side, each within TotalTimeout)
    // with a margin; a killed instance's claims are free again after it.
    public OutboxDelivery Delivery { get; } = new(options.Value.Concurrency, options.Value.MaxAttempts, options.Value.OutboxRetryDelay,
        options.Value.OutboxMaxRetryDelay, options.Value.OutboxPollInterval, options.Value.TotalTimeout + TimeSpan.FromSeconds(10));

    public async Task<IReadOnlyList<string?>> SendAsync(string recipient, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken) =>
        await Task.WhenAll(messages.Select(message => SendAsync(message, cancellationToken)));

    private async Task<string?> SendAsync(OutboxMessage message, CancellationToken stoppingToken)
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
        stoppingToken.ThrowIfCancellationRequested();
        return failure;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSub hub {Hub} notified of {Topic}")]
    private partial void LogDelivered(string hub, string topic);
}
