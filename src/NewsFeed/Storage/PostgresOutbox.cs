using System.Globalization;
using Npgsql;
using static NewsFeed.Storage.PostgresDatabase;

namespace NewsFeed.Storage;

/// <summary>
/// The outbox (<see cref="IOutbox"/>) in the shared PostgreSQL store. Several instances claim at once:
/// <c>FOR UPDATE SKIP LOCKED</c> gives each claimer rows no other claimer is taking, and the claim columns
/// keep them from being claimed again until sent, retried, released, or the claim expires (its instance died).
/// </summary>
internal sealed class PostgresOutbox(PostgresDatabase database) : IOutbox
{
    /// <summary>
    /// Writes a message for every recipient and topic inside the caller's write transaction, and a change
    /// notification so every instance's dispatcher looks. A message already waiting is left as it is; one being
    /// sent is marked to be sent again. The caller calls <see cref="OutboxRecipients.Written"/> after its commit.
    /// </summary>
    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxRecipients recipients,
        IEnumerable<string> topics, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (recipients.Names.Count == 0) return;
        // One row per pair, in one order: two writers upserting the same rows take their locks in the same order.
        var pairs = recipients.Names.Distinct(StringComparer.Ordinal)
            .SelectMany(recipient => topics.Where(topic => recipients.Takes(recipient, topic)).Select(topic => (Recipient: recipient, Topic: topic)))
            .Distinct()
            .OrderBy(pair => pair.Recipient, StringComparer.Ordinal).ThenBy(pair => pair.Topic, StringComparer.Ordinal)
            .ToList();
        if (pairs.Count == 0) return;
        await ExecuteAsync(connection, transaction, """
            INSERT INTO outbox (recipient, topic, due_at, created_at)
            SELECT m.recipient, m.topic, @now, @now FROM unnest(@recipients::text[], @topics::text[]) WITH ORDINALITY AS m(recipient, topic, n)
            ORDER BY m.n
            ON CONFLICT (recipient, topic) DO UPDATE SET changed_again = (outbox.claimed_by IS NOT NULL);
            """,
            [("now", now.ToUnixTimeMilliseconds()), ("recipients", pairs.Select(pair => pair.Recipient).ToArray()), ("topics", pairs.Select(pair => pair.Topic).ToArray())],
            cancellationToken);
        await new PostgresChange(PostgresChange.Outbox, 0, null).NotifyAsync(connection, transaction, cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string recipient, string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            WITH claimed AS (
                UPDATE outbox SET claimed_by = @owner, claimed_until = @until, changed_again = false
                WHERE (recipient, topic) IN (
                    SELECT recipient, topic FROM outbox
                    WHERE recipient = @recipient AND due_at <= @now AND (claimed_by IS NULL OR claimed_until <= @now)
                    ORDER BY due_at LIMIT @max
                    FOR UPDATE SKIP LOCKED)
                RETURNING recipient, topic, attempts, created_at, due_at)
            SELECT recipient, topic, attempts, created_at FROM claimed ORDER BY due_at, recipient, topic;
            """,
            [("recipient", recipient), ("owner", owner), ("until", (now + lease).ToUnixTimeMilliseconds()), ("now", now.ToUnixTimeMilliseconds()), ("max", max)]);
        var claimed = new List<OutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new OutboxMessage(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }
        return claimed;
    }

    public async Task CompleteAsync(OutboxMessage message, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        (string, object?)[] key = [("recipient", message.Recipient), ("topic", message.Topic), ("owner", owner), ("now", now.ToUnixTimeMilliseconds())];
        await ExecuteAsync(connection, transaction, """
            UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, changed_again = false, attempts = 0, due_at = @now, last_error = NULL
            WHERE recipient = @recipient AND topic = @topic AND claimed_by = @owner AND changed_again;
            """, key, cancellationToken);
        await ExecuteAsync(connection, transaction,
            "DELETE FROM outbox WHERE recipient = @recipient AND topic = @topic AND claimed_by = @owner;", key, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RetryAsync(OutboxMessage message, string owner, DateTimeOffset dueAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, changed_again = false, attempts = attempts + 1,
                due_at = @due, last_error = @error
            WHERE recipient = @recipient AND topic = @topic AND claimed_by = @owner;
            """,
            [("recipient", message.Recipient), ("topic", message.Topic), ("owner", owner), ("due", dueAt.ToUnixTimeMilliseconds()), ("error", error)],
            cancellationToken);
    }

    public async Task ReleaseAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = @owner;", [("owner", owner)], cancellationToken);
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Convert.ToInt32(await ScalarAsync(connection, null, "SELECT COUNT(*) FROM outbox;", [], cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<OutboxHealth> HealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = OutboxHealthSql.Query;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxHealth((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }
}
