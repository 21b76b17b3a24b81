using Npgsql;
using static NewsFeed.Storage.PostgresDatabase;

namespace NewsFeed.Partners;

/// <summary>
/// The items a poll brings, as <c>SqlitePartnerStore.Items.cs</c> keeps them: every item write is one
/// transaction (under the partner's row lock), and nothing a poll brings deletes a stored item: only the
/// partner's item cap, the retention of items the partner stopped listing, or an operator removing the partner do.
/// </summary>
internal sealed partial class PostgresPartnerStore
{
    public async Task<bool> SaveItemsAsync(string partnerId, IReadOnlyList<StoredPartnerItem> items, int itemCap, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ReadRowAsync(connection, transaction, partnerId, cancellationToken) is null) return false;
        var changes = await SaveItemsAsync(connection, transaction, partnerId, items, itemCap, retention, now, cancellationToken);
        var revision = changes > 0 ? await AnnounceAsync(connection, transaction, partnerId, now, cancellationToken) : 0;
        await transaction.CommitAsync(cancellationToken);
        if (changes > 0) Committed(partnerId, revision);
        return changes > 0;
    }

    /// <summary>
    /// What one successful fetch brought (decided by <see cref="PartnerItemMerge"/>, as on SQLite): new items
    /// added, changed ones replaced in place keeping when we first saw them, listed ones marked listed, left-out
    /// ones marked unlisted from now; then the cap and the retention. The number of item rows changed.
    /// </summary>
    private static async Task<int> SaveItemsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string partnerId,
        IReadOnlyList<StoredPartnerItem> items, int itemCap, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = 0;
        var nowMs = now.ToUnixTimeMilliseconds();

        var known = new Dictionary<string, KnownPartnerItem>(StringComparer.Ordinal);
        await using (var select = Command(connection, transaction,
            "SELECT key, content_hash, doc, unlisted_since IS NOT NULL FROM partner_items WHERE partner_id = @partner;", [("partner", partnerId)]))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var doc = Deserialize(reader.GetString(2), PartnerJson.Default.StoredPartnerItem);
                known[reader.GetString(0)] = new KnownPartnerItem(reader.GetString(1), doc.FirstSeen, reader.GetBoolean(3), doc.Item.Url);
            }
        }

        var merge = PartnerItemMerge.Plan(items, known);
        if (merge.StillListed.Count > 0)
        {
            await ExecuteAsync(connection, transaction, "UPDATE partner_items SET last_seen = @now, unlisted_since = NULL WHERE partner_id = @partner AND key = ANY(@keys::text[]);",
                [("now", nowMs), ("partner", partnerId), ("keys", merge.StillListed.ToArray())], cancellationToken);
        }
        foreach (var item in merge.Writes)
        {
            changes += await ExecuteAsync(connection, transaction, """
                INSERT INTO partner_items (partner_id, key, content_hash, section, sort_at, last_seen, doc)
                VALUES (@partner, @key, @hash, @section, @sort, @now, @doc)
                ON CONFLICT (partner_id, key) DO UPDATE SET content_hash = EXCLUDED.content_hash, section = EXCLUDED.section,
                    sort_at = EXCLUDED.sort_at, last_seen = EXCLUDED.last_seen, unlisted_since = NULL, doc = EXCLUDED.doc;
                """,
                [("partner", partnerId), ("key", item.Item.Key), ("hash", item.Item.ContentHash), ("section", item.Section), ("sort", item.SortAt.ToUnixTimeMilliseconds()),
                 ("now", nowMs), ("doc", Serialize(item))],
                cancellationToken);
        }
        if (merge.NewlyUnlisted.Count > 0)
        {
            await ExecuteAsync(connection, transaction, "UPDATE partner_items SET unlisted_since = @now WHERE partner_id = @partner AND key = ANY(@keys::text[]);",
                [("now", nowMs), ("partner", partnerId), ("keys", merge.NewlyUnlisted.ToArray())], cancellationToken);
        }

        changes += await ExecuteAsync(connection, transaction, """
            DELETE FROM partner_items WHERE partner_id = @partner AND (unlisted_since < @cutoff OR seq NOT IN (
                SELECT seq FROM partner_items WHERE partner_id = @partner ORDER BY sort_at DESC, seq DESC LIMIT @cap));
            """,
            [("partner", partnerId), ("cutoff", (now - retention).ToUnixTimeMilliseconds()), ("cap", itemCap)], cancellationToken);
        return changes;
    }
}
