namespace NewsFeed.Storage;

/// <summary>
/// The transactional outbox: messages written in the same transaction as the change they announce (a change is
/// never committed without its message, nor announced without being committed), then delivered at least once
/// by whichever instance claims them, retried with backoff, and kept across restarts. There is one row per
/// recipient and topic: a topic already waiting for its recipient is not queued twice, and a change made while
/// its message is being sent marks the message to be sent again once the send ends.
/// </summary>
internal interface IOutbox
{
    /// <summary>
    /// Claims up to <paramref name="max"/> messages for <paramref name="recipient"/> that are due and not claimed (or
    /// whose claim has expired: a killed instance's), oldest due first, for <paramref name="lease"/>. No two
    /// instances claim one message. Per recipient, so a recipient that hangs holds up only its own messages.
    /// </summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string recipient, string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Sent (or given up): removes the message, unless a change came during the send; then it is due again now.</summary>
    Task CompleteAsync(OutboxMessage message, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Failed: one more attempt counted, the claim released, due again at <paramref name="dueAt"/>.</summary>
    Task RetryAsync(OutboxMessage message, string owner, DateTimeOffset dueAt, string error, CancellationToken cancellationToken);

    /// <summary>Releases every claim of <paramref name="owner"/> (shutdown), so another instance sends them now.</summary>
    Task ReleaseAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Messages not yet sent, claimed or not.</summary>
    Task<int> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>What an operator looks at: messages waiting, how many of them failed at least once, and the error of the most retried one.</summary>
    Task<OutboxHealth> HealthAsync(CancellationToken cancellationToken);
}

/// <param name="Failing">Pending messages whose last send failed (they are retried with backoff).</param>
/// <param name="LastError">The error of the most retried failing message, if any.</param>
internal sealed record OutboxHealth(int Pending, int Failing, string? LastError);

internal static class OutboxHealthSql
{
    /// <summary>One statement both engines read alike.</summary>
    public const string Query = """
        SELECT (SELECT COUNT(*) FROM outbox), (SELECT COUNT(*) FROM outbox WHERE attempts > 0),
               (SELECT last_error FROM outbox WHERE attempts > 0 ORDER BY attempts DESC, due_at LIMIT 1);
        """;
}

/// <param name="Recipient">Who the message is for (a WebSub hub URL).</param>
/// <param name="Topic">What changed: a feed's path stem, e.g. <c>latest</c>, <c>sections/world</c>, <c>partners/metro</c>.</param>
/// <param name="Attempts">Sends that failed so far.</param>
internal sealed record OutboxMessage(string Recipient, string Topic, int Attempts, DateTimeOffset CreatedAt);
