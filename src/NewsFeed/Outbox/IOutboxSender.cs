using NewsFeed.Storage;

namespace NewsFeed.Outbox;

/// <summary>
/// A feature that delivers outbox messages (<see cref="IOutbox"/>) to its recipients: WebSub's hubs, the edge's
/// purgers. <see cref="OutboxDispatcher"/> claims, retries and completes the messages for every sender alike; a
/// sender only sends. Registered as a singleton, it also tells the stores whom to write messages for
/// (<see cref="OutboxRecipients"/>).
/// </summary>
internal interface IOutboxSender
{
    /// <summary>What a recipient is, for log lines: "WebSub hub", "Edge purger".</summary>
    string Kind { get; }

    /// <summary>Recipient names, each unique across every sender (a hub URL; a purger's name).</summary>
    IReadOnlyList<string> Recipients { get; }

    /// <summary>Whether the recipients also take archive topics (<see cref="OutboxRecipients.IsArchiveTopic"/>), not only feeds.</summary>
    bool TakesArchiveTopics { get; }

    OutboxDelivery Delivery { get; }

    /// <summary>
    /// Sends claimed messages to one recipient: per message, null when it was delivered, or why it was not
    /// (it is then retried from the outbox). Never throws but for cancellation.
    /// </summary>
    Task<IReadOnlyList<string?>> SendAsync(string recipient, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken);
}

/// <param name="BatchSize">Messages claimed at once per recipient and handed to one <see cref="IOutboxSender.SendAsync"/>.</param>
/// <param name="MaxAttempts">Sends of one message before it is given up.</param>
/// <param name="RetryDelay">The wait after a failed send; it doubles with each failure, up to <paramref name="MaxRetryDelay"/>.</param>
/// <param name="PollInterval">How often a recipient's loop looks when nothing woke it.</param>
/// <param name="Lease">How long a claim holds: longer than the longest send.</param>
internal sealed record OutboxDelivery(int BatchSize, int MaxAttempts, TimeSpan RetryDelay, TimeSpan MaxRetryDelay, TimeSpan PollInterval, TimeSpan Lease)
{
    /// <summary>Doubling from <see cref="RetryDelay"/>, at most <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelayOf(int attempt)
    {
        var delay = RetryDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
