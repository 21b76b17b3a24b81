using static NewsFeed.Storage.SqliteFile;

namespace NewsFeed.Partners;

/// <summary>
/// Poll leases: a partner is polled by the instance that claimed it, and by no other until the lease ends (its
/// poll is saved) or expires (its instance died). On the embedded store one process polls, but leases still
/// keep "poll now" and the schedule from polling one partner twice at once, and survive a restart.
/// </summary>
internal sealed partial class SqlitePartnerStore
{
    public Task<IReadOnlyList<string>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        _file.BookkeepingAsync<IReadOnlyList<string>>(async connection =>
        {
            // A disabled partner is never due: its next_poll is the far future (WriteRowAsync).
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE partners SET lease_owner = $owner, lease_until = $until
                WHERE id IN (
                    SELECT id FROM partners
                    WHERE next_poll <= $now AND (lease_owner IS NULL OR lease_until <= $now)
                    ORDER BY next_poll, id LIMIT $max)
                RETURNING id, next_poll;
                """;
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$until", (now + lease).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$max", max);
            var claimed = new List<(string Id, long Due)>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) claimed.Add((reader.GetString(0), reader.GetInt64(1)));
            // RETURNING gives rows in no promised order.
            return [.. claimed.OrderBy(row => row.Due).ThenBy(row => row.Id, StringComparer.Ordinal).Select(row => row.Id)];
        }, cancellationToken);

    public async Task<bool> TryClaimAsync(string partnerId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        await _file.BookkeepingAsync(connection => ExecuteAsync(connection, null, """
            UPDATE partners SET lease_owner = $owner, lease_until = $until
            WHERE id = $id AND (lease_owner IS NULL OR lease_owner = $owner OR lease_until <= $now);
            """,
            [("$id", partnerId), ("$owner", owner), ("$until", (now + lease).ToUnixTimeMilliseconds()), ("$now", now.ToUnixTimeMilliseconds())],
            cancellationToken), cancellationToken) == 1;

    public Task ReleaseAsync(string owner, string? partnerId, CancellationToken cancellationToken) =>
        _file.BookkeepingAsync(connection => ExecuteAsync(connection, null, """
            UPDATE partners SET lease_owner = NULL, lease_until = NULL
            WHERE lease_owner = $owner AND ($id IS NULL OR id = $id);
            """,
            [("$owner", owner), ("$id", partnerId)],
            cancellationToken), cancellationToken);
}
