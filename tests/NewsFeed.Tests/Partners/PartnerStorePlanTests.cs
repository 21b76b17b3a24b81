using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using NewsFeed.Storage;
using NewsFeed.Tests.Storage;
using Xunit.Abstractions;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// Partner feed queries cost O(limit) at any depth, as the article feeds do (<c>ArticleStorePlanTests</c>): at 100,000
/// items each seeks below a cursor 90,000 items deep in the index of its filter and stops, on both engines.
/// </summary>
public sealed class PartnerStorePlanTests(ITestOutputHelper output)
{
    private const int Count = 100_000;
    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Item 10,000 (90,000 from the top); its seq is its index + 1 (rows inserted in order into a fresh table).</summary>
    private const int DeepIndex = Count - 90_000;

    private static readonly RowKey DeepCursor = new(Start.AddMinutes(DeepIndex).ToUnixTimeMilliseconds(), DeepIndex + 1);

    private static readonly (string? Partner, string? Section, string Index)[] Filters =
    [
        (null, null, "ix_partner_items_newest"), ("partner-3", null, "ix_partner_items_partner"), (null, "section-2", "ix_partner_items_section"),
    ];

    [Theory, OnSqlite, OnPostgres]
    public async Task FeedQueries_100kItems_SeekAnIndexInOrder(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Partners();
        var marker = engine == StoreEngine.Sqlite ? '$' : '@';
        if (engine == StoreEngine.Sqlite) await BulkInsertSqliteAsync(db.File!);
        else await BulkInsertPostgresAsync(db.Database!);

        foreach (var (partner, section, index) in Filters)
        {
            foreach (var keysOnly in new[] { false, true })
            {
                var sql = PartnerItemQueries.Newest(partner, section, keysOnly, marker);
                if (engine == StoreEngine.Sqlite)
                {
                    QueryPlans.AssertSqlite(db.File!, sql, index,
                        [("$partner", "partner-3"), ("$section", "section-2"), ("$count", 21), ("$time", DeepCursor.Time), ("$seq", DeepCursor.Seq)], output);
                }
                else
                {
                    await QueryPlans.AssertPostgresAsync(db.Database!, sql, index,
                        [("partner", "partner-3"), ("section", "section-2"), ("count", 21), ("time", DeepCursor.Time), ("seq", DeepCursor.Seq)], output);
                }
            }
        }

        var deep = new List<KeyedRow<StoredPartnerItem>>();
        await foreach (var row in store.ReadNewestAsync(null, null, DeepCursor, 20, CancellationToken.None)) deep.Add(row);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"item-{DeepIndex - 1 - i}"), deep.Select(row => row.Item.Item.Key));
    }

    private static StoredPartnerItem Bulk(int i)
    {
        var published = Start.AddMinutes(i);
        return new StoredPartnerItem
        {
            Item = new PartnerItem { Key = $"item-{i}", Title = $"Item {i}", Url = $"https://partner.example/{i}", Published = published, ContentHash = $"h{i}" },
            PartnerId = $"partner-{i % 20}",
            PartnerName = "Partner",
            FeedUrl = "https://partner.example/feed",
            Section = $"section-{i % 5}",
            FirstSeen = published,
            FetchedAt = published,
        };
    }

    private static string Doc(StoredPartnerItem item) => JsonSerializer.Serialize(item, PartnerJson.Default.StoredPartnerItem);

    private static async Task BulkInsertSqliteAsync(SqliteFile file)
    {
        await using var connection = await file.OpenAsync(CancellationToken.None);
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO partner_items (partner_id, key, content_hash, section, sort_at, last_seen, doc)
            VALUES ($partner, $key, $hash, $section, $sort, $sort, $doc);
            """;
        var partner = insert.Parameters.Add("$partner", SqliteType.Text);
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var hash = insert.Parameters.Add("$hash", SqliteType.Text);
        var section = insert.Parameters.Add("$section", SqliteType.Text);
        var sort = insert.Parameters.Add("$sort", SqliteType.Integer);
        var doc = insert.Parameters.Add("$doc", SqliteType.Text);
        for (var i = 0; i < Count; i++)
        {
            var item = Bulk(i);
            (partner.Value, key.Value, hash.Value, section.Value, sort.Value, doc.Value) =
                (item.PartnerId, item.Item.Key, item.Item.ContentHash, item.Section, item.SortAt.ToUnixTimeMilliseconds(), Doc(item));
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        await SqliteFile.ExecuteAsync(connection, null, "ANALYZE;", [], CancellationToken.None);
    }

    private static async Task BulkInsertPostgresAsync(PostgresDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        const int batch = 10_000;
        for (var from = 0; from < Count; from += batch)
        {
            var items = Enumerable.Range(from, batch).Select(Bulk).ToList();
            await PostgresDatabase.ExecuteAsync(connection, null, """
                INSERT INTO partner_items (partner_id, key, content_hash, section, sort_at, last_seen, doc)
                SELECT i.partner, i.key, i.hash, i.section, i.sort, i.sort, i.doc
                FROM unnest(@partners::text[], @keys::text[], @hashes::text[], @sections::text[], @sorts::bigint[], @docs::text[]) WITH ORDINALITY
                    AS i(partner, key, hash, section, sort, doc, n)
                ORDER BY i.n;
                """,
                [
                    ("partners", items.Select(i => i.PartnerId).ToArray()), ("keys", items.Select(i => i.Item.Key).ToArray()),
                    ("hashes", items.Select(i => i.Item.ContentHash).ToArray()), ("sections", items.Select(i => i.Section!).ToArray()),
                    ("sorts", items.Select(i => i.SortAt.ToUnixTimeMilliseconds()).ToArray()), ("docs", items.Select(Doc).ToArray()),
                ], CancellationToken.None);
        }
        // VACUUM as autovacuum would after a bulk load: the visibility map lets the keys-only queries read the index alone.
        await PostgresDatabase.ExecuteAsync(connection, null, "VACUUM ANALYZE partner_items;", [], CancellationToken.None);
    }
}
