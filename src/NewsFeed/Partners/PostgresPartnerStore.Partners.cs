using System.Globalization;
using Npgsql;
using static NewsFeed.Storage.PostgresDatabase;

namespace NewsFeed.Partners;

/// <summary>
/// The registry's writes: partners added, changed, polled and removed, each in one transaction. Where the SQLite
/// store holds its process's write lock, these lock the partner's row (<c>FOR UPDATE</c>): another instance's
/// write of the same partner waits for the commit and then reads what it wrote.
/// </summary>
internal sealed partial class PostgresPartnerStore
{
    public async Task<int> SeedOnceAsync(IEnumerable<Partner> partners, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locked: instances starting together seed once.
        if (Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT value FROM meta WHERE key = 'partners_seeded' FOR UPDATE;", [], cancellationToken), CultureInfo.InvariantCulture) != 0)
        {
            return 0;
        }
        var added = 0;
        foreach (var partner in partners)
        {
            added += await ExecuteAsync(connection, transaction, InsertPartnerSql, NewPartnerRow(partner, now), cancellationToken);
        }
        await ExecuteAsync(connection, transaction, "UPDATE meta SET value = 1 WHERE key = 'partners_seeded';", [], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<bool> AddAsync(Partner partner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, InsertPartnerSql, NewPartnerRow(partner, now), cancellationToken) == 1;
    }

    public async Task<bool> UpdateAsync(Partner partner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ReadRowAsync(connection, transaction, partner.Id, cancellationToken) is not { } current) return false;
        var state = current.State.AfterOperatorChange(current.Partner, partner, now);
        await WriteRowAsync(connection, transaction, partner, state, cancellationToken);
        // The documents are text (kept as written, like SQLite's); jsonb_set edits them as json_set does there.
        await ExecuteAsync(connection, transaction, """
            UPDATE partner_items SET section = @section,
                doc = jsonb_set(jsonb_set(jsonb_set(doc::jsonb,
                    '{partnerName}', to_jsonb(@name::text)),
                    '{attribution}', COALESCE(to_jsonb(@attribution::text), 'null'::jsonb)),
                    '{section}', COALESCE(to_jsonb(@section::text), 'null'::jsonb))::text
            WHERE partner_id = @id;
            """,
            [("id", partner.Id), ("name", partner.Name), ("attribution", partner.Attribution), ("section", partner.Section)], cancellationToken);
        var revision = await AnnounceAsync(connection, transaction, partner.Id, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Committed(partner.Id, revision);
        return true;
    }

    public async Task<PollOutcome> SavePollAsync(Partner polled, Partner updated, PartnerState state, IReadOnlyList<StoredPartnerItem>? items,
        int itemCap, TimeSpan retention, DateTimeOffset now, PollOutcome outcome, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ReadRowAsync(connection, transaction, polled.Id, cancellationToken) is not { } current) return PollOutcome.Unknown;
        if (current.Partner != polled)
        {
            await WriteRowAsync(connection, transaction, current.Partner, current.State.WithHealthOf(state), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return outcome;
        }
        await WriteRowAsync(connection, transaction, updated, state, cancellationToken);
        var changes = items is null ? 0 : await SaveItemsAsync(connection, transaction, polled.Id, items, itemCap, retention, now, cancellationToken);
        var revision = changes > 0 ? await AnnounceAsync(connection, transaction, polled.Id, now, cancellationToken) : 0;
        await transaction.CommitAsync(cancellationToken);
        if (changes > 0) Committed(polled.Id, revision);
        return changes > 0 ? PollOutcome.Updated : outcome;
    }

    public async Task<bool> RemoveAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await ExecuteAsync(connection, transaction, "DELETE FROM partners WHERE id = @id;", [("id", id)], cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM partner_items WHERE partner_id = @id;", [("id", id)], cancellationToken);
        var revision = removed == 1 ? await AnnounceAsync(connection, transaction, id, now, cancellationToken) : 0;
        await transaction.CommitAsync(cancellationToken);
        if (removed == 1) Committed(id, revision);
        return removed == 1;
    }

    private const string InsertPartnerSql = """
        INSERT INTO partners (id, config, state, next_poll) VALUES (@id, @config, @state, @next)
        ON CONFLICT (id) DO NOTHING;
        """;

    /// <summary>A new partner is due at once; a disabled one shows no next poll.</summary>
    private static (string, object?)[] NewPartnerRow(Partner partner, DateTimeOffset now)
    {
        var state = new PartnerState { NextPoll = partner.Enabled ? now : null };
        return [("id", partner.Id), ("config", Serialize(partner)), ("state", Serialize(state)), ("next", (state.NextPoll ?? DateTimeOffset.MaxValue).ToUnixTimeMilliseconds())];
    }

    /// <summary>The partner's row, locked until the transaction ends.</summary>
    private static async Task<PartnerStatus?> ReadRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT config, state FROM partners WHERE id = @id FOR UPDATE;", [("id", id)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PartnerStatus(Deserialize(reader.GetString(0), PartnerJson.Default.Partner), Deserialize(reader.GetString(1), PartnerJson.Default.PartnerState), 0)
            : null;
    }

    private static Task<int> WriteRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Partner partner, PartnerState state, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            "UPDATE partners SET config = @config, state = @state, next_poll = @next WHERE id = @id;",
            [("id", partner.Id), ("config", Serialize(partner)), ("state", Serialize(state)), ("next", (state.NextPoll ?? DateTimeOffset.MaxValue).ToUnixTimeMilliseconds())],
            cancellationToken);
}
