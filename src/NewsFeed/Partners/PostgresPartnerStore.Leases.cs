using static NewsFeed.Storage.PostgresDatabase;

namespace NewsFeed.Partners;

/// <summary>
/// Poll leases, claimed by many instances at once: <c>FOR UPDATE SKIP LOCKED</c> lets each claimer take due
/// partners no other claimer is taking, and the lease columns keep them from everyone else until the poll is
/// saved (released) or the lease expires (its instance died).
/// </summary>
internal sealed partial class PostgresPartnerStore
{
    public async Task<IReadOnlyList<string>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        // A disabled partner is never due: its next_poll is the far future (WriteRowAsync).
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            WITH claimed AS (
                UPDATE partners SET lease_owner = @owner, lease_until = @until
                WHERE id IN (
                    SELECT id FROM partners
                    WHERE next_poll <= @now AND (lease_owner IS NULL OR lease_until <= @now)
                    ORDER BY next_poll, id LIMIT @max
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, next_poll)
            SELECT id FROM claimed ORDER BY next_poll, id;
            """,
            [("owner", owner), ("until", (now + lease).ToUnixTimeMilliseconds()), ("now", now.ToUnixTimeMilliseconds()), ("max", max)]);
        var claimed = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) claimed.Add(reader.GetString(0));
        return claimed;
    }

    public async Task<bool> TryClaimAsync(string partnerId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        // One UPDATE: the row lock and PostgreSQL's recheck of the WHERE after a concurrent update make it atomic.
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, """
            UPDATE partners SET lease_owner = @owner, lease_until = @until
            WHERE id = @id AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until <= @now);
            """,
            [("id", partnerId), ("owner", owner), ("until", (now + lease).ToUnixTimeMilliseconds()), ("now", now.ToUnixTimeMilliseconds())],
            cancellationToken) == 1;
    }

    public async Task ReleaseAsync(string owner, string? partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            UPDATE partners SET lease_owner = NULL, lease_until = NULL
            WHERE lease_owner = @owner AND (@id::text IS NULL OR id = @id::text);
            """,
            [("owner", owner), ("id", partnerId)],
            cancellationToken);
    }
}
