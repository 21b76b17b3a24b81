using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NewsFeed.Storage;

/// <summary>
/// The outbox (<see cref="IOutbox"/>) in the embedded store's file. One process writes the file, so a claim is
/// one UPDATE; the claim columns still matter across restarts (a killed process's claims expire).
/// </summary>
internal sealed class SqliteOutbox(SqliteFile file) : IOutbox
{
    /// <summary>
    /// Writes a message for every recipient and topic inside the caller's write transaction. A message already
    /// waiting is left as it is; one being sent is marked to be sent again.
    /// </summary>
    public static async Task AddAsync(SqliteConnection connection, SqliteTransaction transaction, OutboxRecipients recipients,
        IEnumerable<string> topics, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (recipients.Names.Count == 0) return;
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO outbox (recipient, topic, due_at, created_at) VALUES ($recipient, $topic, $now, $now)
            ON CONFLICT (recipient, topic) DO UPDATE SET changed_again = (claimed_by IS NOT NULL);
            """;
        var recipient = insert.Parameters.Add("$recipient", SqliteType.Text);
        var topic = insert.Parameters.Add("$topic", SqliteType.Text);
        insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        foreach (var name in recipients.Names)
        {
            foreach (var changed in topics)
            {
                if (!recipients.Takes(name, changed)) continue;
                recipient.Value = name;
                topic.Value = changed;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    public Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string recipient, string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        file.BookkeepingAsync<IReadOnlyList<OutboxMessage>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE outbox SET claimed_by = $owner, claimed_until = $until, changed_again = 0
                WHERE (recipient, topic) IN (
                    SELECT recipient, topic FROM outbox
                    WHERE recipient = $recipient AND due_at <= $now AND (claimed_by IS NULL OR claimed_until <= $now)
                    ORDER BY due_at LIMIT $max)
                RETURNING recipient, topic, attempts, created_at;
                """;
            command.Parameters.AddWithValue("$recipient", recipient);
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$until", (now + lease).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$max", max);
            var claimed = new List<OutboxMessage>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new OutboxMessage(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }
            return claimed;
        }, cancellationToken);

    public Task CompleteAsync(OutboxMessage message, string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        file.BookkeepingAsync(async connection =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            (string, object?)[] key = [("$recipient", message.Recipient), ("$topic", message.Topic), ("$owner", owner), ("$now", now.ToUnixTimeMilliseconds())];
            await SqliteFile.ExecuteAsync(connection, transaction, """
                UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, changed_again = 0, attempts = 0, due_at = $now, last_error = NULL
                WHERE recipient = $recipient AND topic = $topic AND claimed_by = $owner AND changed_again = 1;
                """, key, cancellationToken);
            var deleted = await SqliteFile.ExecuteAsync(connection, transaction,
                "DELETE FROM outbox WHERE recipient = $recipient AND topic = $topic AND claimed_by = $owner;", key, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return deleted;
        }, cancellationToken);

    public Task RetryAsync(OutboxMessage message, string owner, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        file.BookkeepingAsync(connection => SqliteFile.ExecuteAsync(connection, null, """
            UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, changed_again = 0, attempts = attempts + 1,
                due_at = $due, last_error = $error
            WHERE recipient = $recipient AND topic = $topic AND claimed_by = $owner;
            """,
            [("$recipient", message.Recipient), ("$topic", message.Topic), ("$owner", owner), ("$due", dueAt.ToUnixTimeMilliseconds()), ("$error", error)],
            cancellationToken), cancellationToken);

    public Task ReleaseAsync(string owner, CancellationToken cancellationToken) =>
        file.BookkeepingAsync(connection => SqliteFile.ExecuteAsync(connection, null,
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $owner;", [("$owner", owner)], cancellationToken), cancellationToken);

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await file.OpenAsync(cancellationToken);
        return Convert.ToInt32(await SqliteFile.ScalarAsync(connection, null, "SELECT COUNT(*) FROM outbox;", [], cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<OutboxHealth> HealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await file.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = OutboxHealthSql.Query;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxHealth((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }
}
