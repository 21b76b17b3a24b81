using Microsoft.Data.Sqlite;
using static NewsFeed.Storage.SqliteFile;

namespace NewsFeed.Partners;

/// <summary>
/// The items a poll brings. Every item write is one transaction, and nothing a poll brings (an empty feed, a
/// broken one) deletes a stored item: only the partner's item cap, the retention of items the partner stopped
/// listing, or an operator removing the partner do.
/// </summary>
internal sealed partial class SqlitePartnerStore
{
    public async Task<bool> SaveItemsAsync(string partnerId, IReadOnlyList<StoredPartnerItem> items, int itemCap, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _file.OpenForWriteAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (await ReadRowAsync(connection, transaction, partnerId, cancellationToken) is null) return false;
            var changes = await SaveItemsAsync(connection, transaction, partnerId, items, itemCap, retention, now, cancellationToken);
            if (changes > 0) await AnnounceAsync(connection, transaction, partnerId, now, cancellationToken);
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
    /// place (keeping when we first saw them), items listed again (under their key, or under a new guid with
    /// their link: <see cref="PartnerItemIdentity"/>) are marked listed. An item the fetch left
    /// out is marked unlisted from now (if it was not already); then the partner is trimmed to its newest
    /// <paramref name="itemCap"/> items and items unlisted for longer than <paramref name="retention"/> are
    /// dropped. 304s and failures never come here, so they never age an item. The number of item rows changed.
    /// </summary>
    private static async Task<int> SaveItemsAsync(SqliteConnection connection, SqliteTransaction transaction, string partnerId,
        IReadOnlyList<StoredPartnerItem> items, int itemCap, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = 0;
        var nowMs = now.ToUnixTimeMilliseconds();

        var known = new Dictionary<string, KnownPartnerItem>(StringComparer.Ordinal);
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT key, content_hash, doc, unlisted_since IS NOT NULL FROM partner_items WHERE partner_id = $partner;";
            select.Parameters.AddWithValue("$partner", partnerId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var doc = Deserialize(reader.GetString(2), PartnerJson.Default.StoredPartnerItem);
                known[reader.GetString(0)] = new KnownPartnerItem(reader.GetString(1), doc.FirstSeen, reader.GetBoolean(3), doc.Item.Url);
            }
        }

        var merge = PartnerItemMerge.Plan(items, known);
        foreach (var key in merge.StillListed)
        {
            await ExecuteAsync(connection, transaction, "UPDATE partner_items SET last_seen = $now, unlisted_since = NULL WHERE partner_id = $partner AND key = $key;",
                [("$now", nowMs), ("$partner", partnerId), ("$key", key)], cancellationToken);
        }
        foreach (var item in merge.Writes)
        {
            changes += await ExecuteAsync(connection, transaction, """
                INSERT INTO partner_items (partner_id, key, content_hash, section, sort_at, last_seen, doc)
                VALUES ($partner, $key, $hash, $section, $sort, $now, $doc)
                ON CONFLICT (partner_id, key) DO UPDATE SET content_hash = excluded.content_hash, section = excluded.section,
                    sort_at = excluded.sort_at, last_seen = excluded.last_seen, unlisted_since = NULL, doc = excluded.doc;
                """,
                [("$partner", partnerId), ("$key", item.Item.Key), ("$hash", item.Item.ContentHash), ("$section", item.Section), ("$sort", item.SortAt.ToUnixTimeMilliseconds()),
                 ("$now", nowMs), ("$doc", Serialize(item))],
                cancellationToken);
        }
        foreach (var key in merge.NewlyUnlisted)
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
}
