using System.Globalization;
using Microsoft.Data.Sqlite;
using static NewsFeed.Storage.SqliteFile;

namespace NewsFeed.Partners;

/// <summary>The registry's writes: partners added, changed, polled and removed, each in one transaction.</summary>
internal sealed partial class SqlitePartnerStore
{
    public async Task<int> SeedOnceAsync(IEnumerable<Partner> partners, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _file.OpenForWriteAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT value FROM meta WHERE key = 'partners_seeded';", [], cancellationToken), CultureInfo.InvariantCulture) != 0)
            {
                return 0;
            }
            var added = 0;
            foreach (var partner in partners)
            {
                added += await ExecuteAsync(connection, transaction,
                    "INSERT OR IGNORE INTO partners (id, config, state, next_poll) VALUES ($id, $config, $state, $next);",
                    NewPartnerRow(partner, now),
                    cancellationToken);
            }
            await ExecuteAsync(connection, transaction, "UPDATE meta SET value = 1 WHERE key = 'partners_seeded';", [], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return added;
        }
        finally
        {
            _writeLock.Release();
        }
    }
    public async Task<bool> AddAsync(Partner partner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _file.OpenForWriteAsync(cancellationToken);
            return await ExecuteAsync(connection, null,
                "INSERT OR IGNORE INTO partners (id, config, state, next_poll) VALUES ($id, $config, $state, $next);",
                NewPartnerRow(partner, now),
                cancellationToken) == 1;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> UpdateAsync(Partner partner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _file.OpenForWriteAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (await ReadRowAsync(connection, transaction, partner.Id, cancellationToken) is not { } current) return false;
            var state = current.State.AfterOperatorChange(current.Partner, partner, now);
            await WriteRowAsync(connection, transaction, partner, state, cancellationToken);
            await ExecuteAsync(connection, transaction, """
                UPDATE partner_items SET section = $section,
                    doc = json_set(doc, '$.partnerName', $name, '$.attribution', $attribution, '$.section', $section)
                WHERE partner_id = $id;
                """,
                [("$id", partner.Id), ("$name", partner.Name), ("$attribution", partner.Attribution), ("$section", partner.Section)], cancellationToken);
            await AnnounceAsync(connection, transaction, partner.Id, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Changed(partner.Id, now);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<PollOutcome> SavePollAsync(Partner polled, Partner updated, PartnerState state, IReadOnlyList<StoredPartnerItem>? items,
        int itemCap, TimeSpan retention, DateTimeOffset now, PollOutcome outcome, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _file.OpenForWriteAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (await ReadRowAsync(connection, transaction, polled.Id, cancellationToken) is not { } current) return PollOutcome.Unknown;
            if (current.Partner != polled)
            {
                await WriteRowAsync(connection, transaction, current.Partner, current.State.WithHealthOf(state), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return outcome;
            }
            await WriteRowAsync(connection, transaction, updated, state, cancellationToken);
            var changes = items is null ? 0 : await SaveItemsAsync(connection, transaction, polled.Id, items, itemCap, retention, now, cancellationToken);
            if (changes > 0) await AnnounceAsync(connection, transaction, polled.Id, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (changes > 0) Changed(polled.Id, now);
            return changes > 0 ? PollOutcome.Updated : outcome;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> RemoveAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _file.OpenForWriteAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var removed = await ExecuteAsync(connection, transaction, "DELETE FROM partners WHERE id = $id;", [("$id", id)], cancellationToken);
            await ExecuteAsync(connection, transaction, "DELETE FROM partner_items WHERE partner_id = $id;", [("$id", id)], cancellationToken);
            if (removed == 1) await AnnounceAsync(connection, transaction, id, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (removed == 1) Changed(id, now);
            return removed == 1;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A new partner is due at once; a disabled one shows no next poll.</summary>
    private static (string, object?)[] NewPartnerRow(Partner partner, DateTimeOffset now)
    {
        var state = new PartnerState { NextPoll = partner.Enabled ? now : null };
        return [("$id", partner.Id), ("$config", Serialize(partner)), ("$state", Serialize(state)), ("$next", (state.NextPoll ?? DateTimeOffset.MaxValue).ToUnixTimeMilliseconds())];
    }

    private static async Task<PartnerStatus?> ReadRowAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT config, state FROM partners WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PartnerStatus(Deserialize(reader.GetString(0), PartnerJson.Default.Partner), Deserialize(reader.GetString(1), PartnerJson.Default.PartnerState), 0)
            : null;
    }

    private static Task<int> WriteRowAsync(SqliteConnection connection, SqliteTransaction transaction, Partner partner, PartnerState state, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            "UPDATE partners SET config = $config, state = $state, next_poll = $next WHERE id = $id;",
            [("$id", partner.Id), ("$config", Serialize(partner)), ("$state", Serialize(state)), ("$next", (state.NextPoll ?? DateTimeOffset.MaxValue).ToUnixTimeMilliseconds())],
            cancellationToken);

}
