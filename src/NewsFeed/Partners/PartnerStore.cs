using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsFeed.Articles;
using static NewsFeed.Articles.SqliteFile;

namespace NewsFeed.Partners;

/// <summary>What <see cref="PartnerStore.SavePollAsync"/> did with a poll's result.</summary>
public enum PollSaved
{
    /// <summary>The partner is gone; nothing was written.</summary>
    Removed,
    /// <summary>The partner's configuration changed during the poll; only its health was recorded.</summary>
    Superseded,
    /// <summary>Saved; the items the feeds show did not change.</summary>
    Saved,
    /// <summary>Saved; the items the feeds show changed.</summary>
    ItemsChanged,
}

/// <summary>
/// Partners and their items, in the same SQLite file as the articles (tables from the store's third and
/// fourth migrations, which run at start before anything here is used). Every item write is one transaction,
/// and nothing a poll brings (an empty feed, a broken one) deletes a stored item: only the partner's
/// item cap, the retention of items the partner stopped listing, or an operator removing the partner do.
/// </summary>
public sealed class PartnerStore : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    // Feed cache versions, as for articles: they move on every committed poll write that changes what a
    // partner feed shows, and on every PUT and DELETE of a partner. Key "" is the all-partners feed.
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);
    private long _version;

    public PartnerStore(string databasePath)
    {
        _connectionString = SqliteFile.ConnectionString(databasePath);
    }

    public void Dispose() => _writeLock.Dispose();

    /// <summary>The version of one partner's feed, or of the all-partners feed (null).</summary>
    public long VersionOf(string? partnerId) => partnerId is null ? Interlocked.Read(ref _version) : _versions.GetValueOrDefault(partnerId);

    /// <summary>When a write last changed the partner's feed (null: any partner's) in this process.</summary>
    public DateTimeOffset? ChangedAt(string? partnerId) => _changedAt.TryGetValue(partnerId ?? "", out var at) ? at : null;

    /// <summary>Adds the registry file's partners, once in the life of the database (later, the admin API owns the list).</summary>
    public async Task<int> SeedOnceAsync(IEnumerable<Partner> partners, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenForWriteAsync(_connectionString, cancellationToken);
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

    public async Task<IReadOnlyList<PartnerStatus>> ListAsync(CancellationToken cancellationToken) =>
        await QueryStatusAsync("WHERE 1 = 1", [], cancellationToken);

    public async Task<PartnerStatus?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryStatusAsync("WHERE p.id = $id", [("$id", id)], cancellationToken)).SingleOrDefault();

    /// <summary>Enabled partners whose next poll is due at <paramref name="now"/>, soonest first.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, config FROM partners WHERE next_poll <= $now ORDER BY next_poll, id;";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var due = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Deserialize(reader.GetString(1), PartnerJson.Default.Partner).Enabled) due.Add(reader.GetString(0));
        }
        return due;
    }

    /// <summary>Adds a partner, due at once; false when the id is taken.</summary>
    public async Task<bool> AddAsync(Partner partner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenForWriteAsync(_connectionString, cancellationToken);
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

    /// <summary>
    /// Replaces a partner's configuration; false when there is none. A new URL forgets the old one's
    /// validators; enabling a partner clears why it was disabled and makes it due at once. The stored items
    /// take the new name, attribution and section at once, and the partner's feeds (and sections) move.
    /// </summary>
    public async Task<bool> UpdateAsync(Partner partner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenForWriteAsync(_connectionString, cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (await ReadRowAsync(connection, transaction, partner.Id, cancellationToken) is not { } current) return false;
            var state = current.State;
            if (!string.Equals(current.Partner.Url, partner.Url, StringComparison.Ordinal))
            {
                state = state with { ETag = null, LastModified = null, NextPoll = now };
            }
            if (partner.Enabled && (!current.Partner.Enabled || state.DisabledReason is not null))
            {
                state = state with { DisabledReason = null, ConsecutiveFailures = 0, NextPoll = now };
            }
            if (!partner.Enabled)
            {
                state = state with { NextPoll = null };
            }
            await WriteRowAsync(connection, transaction, partner, state, cancellationToken);
            await ExecuteAsync(connection, transaction, """
                UPDATE partner_items SET section = $section,
                    doc = json_set(doc, '$.partnerName', $name, '$.attribution', $attribution, '$.section', $section)
                WHERE partner_id = $id;
                """,
                [("$id", partner.Id), ("$name", partner.Name), ("$attribution", partner.Attribution), ("$section", partner.Section)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Changed(partner.Id, now);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Stores what one poll of <paramref name="polled"/> came to, in one transaction. Nothing when the partner
    /// was removed meanwhile. When an operator changed its configuration meanwhile, only the health fields are
    /// merged (the poll answered for a configuration that is gone: its items, validators, schedule, URL move
    /// and 410 are dropped, and the partner stays due for a poll of the new one). Otherwise
    /// <paramref name="updated"/> (<paramref name="polled"/> with a permanent move or a 410 applied),
    /// <paramref name="state"/> and the <paramref name="items"/> (if any) are written.
    /// </summary>
    public async Task<PollSaved> SavePollAsync(Partner polled, Partner updated, PartnerState state, IReadOnlyList<StoredPartnerItem>? items,
        int itemCap, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenForWriteAsync(_connectionString, cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (await ReadRowAsync(connection, transaction, polled.Id, cancellationToken) is not { } current) return PollSaved.Removed;
            if (current.Partner != polled)
            {
                await WriteRowAsync(connection, transaction, current.Partner, current.State with
                {
                    LastPoll = state.LastPoll,
                    LastSuccess = state.LastSuccess,
                    LastErrorAt = state.LastErrorAt,
                    LastError = state.LastError,
                    LastStatus = state.LastStatus,
                    ConsecutiveFailures = state.ConsecutiveFailures,
                    Warnings = state.Warnings,
                }, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return PollSaved.Superseded;
            }
            await WriteRowAsync(connection, transaction, updated, state, cancellationToken);
            var changes = items is null ? 0 : await SaveItemsAsync(connection, transaction, polled.Id, items, itemCap, retention, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (changes > 0) Changed(polled.Id, now);
            return changes > 0 ? PollSaved.ItemsChanged : PollSaved.Saved;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Removes a partner and its items (an operator's decision, never the poller's); its feeds move even when it had none.</summary>
    public async Task<bool> RemoveAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenForWriteAsync(_connectionString, cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var removed = await ExecuteAsync(connection, transaction, "DELETE FROM partners WHERE id = $id;", [("$id", id)], cancellationToken);
            await ExecuteAsync(connection, transaction, "DELETE FROM partner_items WHERE partner_id = $id;", [("$id", id)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (removed == 1) Changed(id, now);
            return removed == 1;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Stores items for a partner (nothing if there is no such partner); see <see cref="SavePollAsync"/>.
    /// True when anything the feeds show changed.
    /// </summary>
    public async Task<bool> SaveItemsAsync(string partnerId, IReadOnlyList<StoredPartnerItem> items, int itemCap, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenForWriteAsync(_connectionString, cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (await ReadRowAsync(connection, transaction, partnerId, cancellationToken) is null) return false;
            var changes = await SaveItemsAsync(connection, transaction, partnerId, items, itemCap, retention, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (changes > 0) Changed(partnerId, now);
            return changes > 0;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// What one successful fetch brought: new items are added, items whose content hash moved are replaced in
    /// place (keeping when we first saw them), items listed again are marked listed. An item the fetch left
    /// out is marked unlisted from now (if it was not already); then the partner is trimmed to its newest
    /// <paramref name="itemCap"/> items and items unlisted for longer than <paramref name="retention"/> are
    /// dropped. 304s and failures never come here, so they never age an item. The number of item rows changed.
    /// </summary>
    private static async Task<int> SaveItemsAsync(SqliteConnection connection, SqliteTransaction transaction, string partnerId,
        IReadOnlyList<StoredPartnerItem> items, int itemCap, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = 0;
        var nowMs = now.ToUnixTimeMilliseconds();

        var known = new Dictionary<string, (string Hash, DateTimeOffset FirstSeen, bool Unlisted)>(StringComparer.Ordinal);
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT key, content_hash, doc, unlisted_since IS NOT NULL FROM partner_items WHERE partner_id = $partner;";
            select.Parameters.AddWithValue("$partner", partnerId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                known[reader.GetString(0)] = (reader.GetString(1), Deserialize(reader.GetString(2), PartnerJson.Default.StoredPartnerItem).FirstSeen, reader.GetBoolean(3));
            }
        }

        // The first copy of a repeated key wins. New items go in last-to-first, so items with the same
        // date (undated ones: when we first saw them) keep the document's order under "seq DESC".
        var seenThisPoll = new HashSet<string>(StringComparer.Ordinal);
        var listed = items.Where(stored => seenThisPoll.Add(stored.Item.Key)).ToList();
        listed.Reverse();
        foreach (var stored in listed)
        {
            var key = stored.Item.Key;
            if (known.TryGetValue(key, out var existing) && existing.Hash == stored.Item.ContentHash)
            {
                await ExecuteAsync(connection, transaction, "UPDATE partner_items SET last_seen = $now, unlisted_since = NULL WHERE partner_id = $partner AND key = $key;",
                    [("$now", nowMs), ("$partner", partnerId), ("$key", key)], cancellationToken);
                continue;
            }
            var item = existing.Hash is null ? stored : stored with { FirstSeen = existing.FirstSeen };
            changes += await ExecuteAsync(connection, transaction, """
                INSERT INTO partner_items (partner_id, key, content_hash, section, sort_at, last_seen, doc)
                VALUES ($partner, $key, $hash, $section, $sort, $now, $doc)
                ON CONFLICT (partner_id, key) DO UPDATE SET content_hash = excluded.content_hash, section = excluded.section,
                    sort_at = excluded.sort_at, last_seen = excluded.last_seen, unlisted_since = NULL, doc = excluded.doc;
                """,
                [("$partner", partnerId), ("$key", key), ("$hash", item.Item.ContentHash), ("$section", item.Section), ("$sort", item.SortAt.ToUnixTimeMilliseconds()),
                 ("$now", nowMs), ("$doc", Serialize(item))],
                cancellationToken);
        }
        foreach (var (key, _) in known.Where(k => !k.Value.Unlisted && !seenThisPoll.Contains(k.Key)))
        {
            await ExecuteAsync(connection, transaction, "UPDATE partner_items SET unlisted_since = $now WHERE partner_id = $partner AND key = $key;",
                [("$now", nowMs), ("$partner", partnerId), ("$key", key)], cancellationToken);
        }

        changes += await ExecuteAsync(connection, transaction, """
            DELETE FROM partner_items WHERE partner_id = $partner AND (unlisted_since < $cutoff OR seq NOT IN (
                SELECT seq FROM partner_items WHERE partner_id = $partner ORDER BY sort_at DESC, seq DESC LIMIT $cap));
            """,
            [("$partner", partnerId), ("$cutoff", (now - retention).ToUnixTimeMilliseconds()), ("$cap", itemCap)], cancellationToken);
        return changes;
    }

    /// <summary>The newest items of one partner, of a section (<paramref name="section"/>), or of every partner.</summary>
    public async Task<IReadOnlyList<StoredPartnerItem>> GetNewestAsync(string? partnerId, string? section, int offset, int count, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = partnerId is not null ? "WHERE partner_id = $partner" : section is not null ? "WHERE section = $section" : "";
        command.CommandText = $"SELECT doc FROM partner_items {where} ORDER BY sort_at DESC, seq DESC LIMIT $count OFFSET $offset;";
        if (partnerId is not null) command.Parameters.AddWithValue("$partner", partnerId);
        if (section is not null) command.Parameters.AddWithValue("$section", section);
        command.Parameters.AddWithValue("$count", count);
        command.Parameters.AddWithValue("$offset", offset);
        var items = new List<StoredPartnerItem>(Math.Min(count, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Deserialize(reader.GetString(0), PartnerJson.Default.StoredPartnerItem));
        }
        return items;
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

    /// <summary>Raised after a write that changed what a partner's feeds show (the argument is the partner id), for WebSub.</summary>
    public event Action<string>? FeedsChanged;

    private void Changed(string partnerId, DateTimeOffset now)
    {
        var version = Interlocked.Increment(ref _version);
        _versions[partnerId] = version;
        _changedAt[partnerId] = now;
        _changedAt[""] = now;
        FeedsChanged?.Invoke(partnerId);
    }

    private async Task<List<PartnerStatus>> QueryStatusAsync(string where, (string, object)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT p.config, p.state, (SELECT COUNT(*) FROM partner_items i WHERE i.partner_id = p.id)
            FROM partners p {where} ORDER BY p.id;
            """;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var list = new List<PartnerStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PartnerStatus(
                Deserialize(reader.GetString(0), PartnerJson.Default.Partner),
                Deserialize(reader.GetString(1), PartnerJson.Default.PartnerState),
                reader.GetInt32(2)));
        }
        return list;
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, typeof(T), PartnerJson.Default);

    private static T Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException("A stored partner document is null.");

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => SqliteFile.OpenAsync(_connectionString, cancellationToken);
}
