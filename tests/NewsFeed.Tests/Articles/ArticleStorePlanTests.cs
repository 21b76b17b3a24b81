using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsFeed.Articles;
using NewsFeed.Storage;
using NewsFeed.Tests.Storage;
using Xunit.Abstractions;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Articles;

/// <summary>
/// Feed queries cost O(limit), not O(store), on both engines and at any depth: at 100,000 articles each seeks
/// below a cursor 90,000 articles deep, walks one index in order and stops (no table scan, no sort), checked in
/// the engine's own query plan.
/// </summary>
public sealed class ArticleStorePlanTests(ITestOutputHelper output)
{
    private const int Count = 100_000;

    [Theory, OnSqlite, OnPostgres]
    public async Task FeedQueries_100kArticles_WalkAnIndexInOrder(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        if (engine == StoreEngine.Sqlite)
        {
            await BulkInsertSqliteAsync(db.File!);
            foreach (var (sql, index) in new[]
            {
                (SqliteArticleStore.NewestSql, "ix_articles_newest"), (SqliteArticleStore.NewestInTermSql, "ix_terms_newest"),
                (SqliteArticleStore.NewestKeysSql, "ix_articles_newest"), (SqliteArticleStore.NewestKeysInTermSql, "ix_terms_newest"),
                (SqliteArticleStore.TermNameSql, "ix_terms_newest"), (SqliteArticleStore.NextEmbargoLiftSql, "ix_articles_embargo"),
                // RFC 5005 archives: a month below a position, its pending embargoes, the months around it.
                (SqliteArticleStore.ArchivedSql, "ix_articles_newest"), (SqliteArticleStore.ArchivedInTermSql, "ix_terms_newest"),
                // SQLite walks the month's range of the feed index; PostgreSQL the pending embargoes. Both are bounded.
                (SqliteArticleStore.PendingLiftSql, "ix_articles_newest"),
                (SqliteArticleStore.NewestBeforeSql, "ix_articles_newest"), (SqliteArticleStore.NewestBeforeInTermSql, "ix_terms_newest"),
                (SqliteArticleStore.OldestFromSql, "ix_articles_newest"), (SqliteArticleStore.OldestFromInTermSql, "ix_terms_newest"),
            })
            {
                QueryPlans.AssertSqlite(db.File!, sql, index, SqliteParameters, output);
            }
        }
        else
        {
            await BulkInsertPostgresAsync(db.Database!);
            // "now" is after every article, as a reader's is; the cursor is 90,000 articles deep.
            foreach (var (sql, index) in new[]
            {
                (PostgresArticleStore.NewestSql, "ix_articles_newest"), (PostgresArticleStore.NewestInTermSql, "ix_terms_newest"),
                (PostgresArticleStore.NewestKeysSql, "ix_articles_newest"), (PostgresArticleStore.NewestKeysInTermSql, "ix_terms_newest"),
                (PostgresArticleStore.TermNameSql, "ix_terms_newest"), (PostgresArticleStore.NextEmbargoLiftSql, "ix_articles_embargo"),
                // RFC 5005 archives: a month below a position, its pending embargoes, the months around it.
                (PostgresArticleStore.ArchivedSql, "ix_articles_newest"), (PostgresArticleStore.ArchivedInTermSql, "ix_terms_newest"),
                (PostgresArticleStore.PendingLiftSql, "ix_articles_embargo"),
                (PostgresArticleStore.NewestBeforeSql, "ix_articles_newest"), (PostgresArticleStore.NewestBeforeInTermSql, "ix_terms_newest"),
                (PostgresArticleStore.OldestFromSql, "ix_articles_newest"), (PostgresArticleStore.OldestFromInTermSql, "ix_terms_newest"),
            })
            {
                await QueryPlans.AssertPostgresAsync(db.Database!, sql, index, PostgresParameters, output);
            }
        }

        var now = Start.AddDays(200_000);
        var newest = await store.GetNewestAsync(null, now, 20, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"bulk-{Count - 1 - i}"), newest.Select(a => a.Slug));
        var section = await store.GetNewestAsync(new TermRef(TermKind.Section, "section-3"), now, 20, CancellationToken.None);
        Assert.Equal(20, section.Count);
        Assert.All(section, a => Assert.Equal("section-3", a.Sections[0].Slug));
        Assert.Equal(section.OrderByDescending(a => a.Published), section);

        // A page 90,000 articles deep, after the cursor of the article above it: the same 20 rows as an offset read.
        var deep = new List<KeyedRow<Article>>();
        await foreach (var row in store.ReadNewestAsync(null, now, DeepCursor, 20, CancellationToken.None)) deep.Add(row);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"bulk-{DeepIndex - 1 - i}"), deep.Select(row => row.Item.Slug));
        Assert.All(deep, row => Assert.True(row.Key.CompareTo(DeepCursor) < 0));
    }

    /// <summary>Article bulk-{DeepIndex} is 90,000 from the top; its seq is its index + 1 (rows inserted in order into a fresh table).</summary>
    private const int DeepIndex = Count - 90_000;

    private static RowKey DeepCursor => new(Start.AddHours(DeepIndex).ToUnixTimeMilliseconds(), DeepIndex + 1);

    private static readonly (string, object)[] SqliteParameters =
    [
        ("$now", Start.AddDays(200_000).ToUnixTimeMilliseconds()), ("$count", 21), ("$kind", 1), ("$slug", "section-3"),
        ("$time", DeepCursor.Time), ("$seq", DeepCursor.Seq),
        ("$from", DeepCursor.Time - MonthMilliseconds), ("$to", DeepCursor.Time), ("$at", DeepCursor.Time),
        ("$whole", ArticleStoreReads.WholeDocumentChars),
    ];

    private static readonly (string, object?)[] PostgresParameters =
    [
        ("now", Start.AddDays(200_000).ToUnixTimeMilliseconds()), ("count", 21), ("kind", 1), ("slug", "section-3"),
        ("time", DeepCursor.Time), ("seq", DeepCursor.Seq),
        ("from", DeepCursor.Time - MonthMilliseconds), ("to", DeepCursor.Time), ("at", DeepCursor.Time),
        ("whole", ArticleStoreReads.WholeDocumentChars),
    ];

    /// <summary>An archive's month, in the parameters of the archive queries.</summary>
    private const long MonthMilliseconds = 31L * 24 * 60 * 60 * 1000;

    private static Article Bulk(int i) => Article($"bulk-{i}", Start.AddHours(i)) with
    {
        Sections = [new Term($"section-{i % 5}", "S")],
        Authors = [new Author("A", $"author-{i % 50}")],
        Tags = [new Term($"tag-{i % 500}", "T"), new Term($"tag-{(i * 7) % 500}", "T")],
    };

    private static (int Kind, string Slug)[] TermsOf(Article article) =>
        [(1, article.Sections[0].Slug), (2, article.Authors[0].Slug), (3, article.Tags[0].Slug), (3, article.Tags[1].Slug)];

    /// <summary>Writes rows the way the store does, in one transaction, so 100k articles take seconds.</summary>
    private static async Task BulkInsertSqliteAsync(SqliteFile file)
    {
        await using var connection = await file.OpenAsync(CancellationToken.None);
        await using var transaction = connection.BeginTransaction();
        await using var article = connection.CreateCommand();
        article.CommandText = """
            INSERT INTO articles (id, status, published_at, updated_at, visible_from, doc)
            VALUES ($id, 1, $published, $published, $published, $doc) RETURNING seq;
            """;
        var id = article.Parameters.Add("$id", SqliteType.Text);
        var published = article.Parameters.Add("$published", SqliteType.Integer);
        var doc = article.Parameters.Add("$doc", SqliteType.Text);
        await using var term = connection.CreateCommand();
        term.CommandText = """
            INSERT OR IGNORE INTO article_terms (kind, slug, seq, name, status, published_at, visible_from)
            VALUES ($kind, $slug, $seq, $slug, 1, $published, $published);
            """;
        var kind = term.Parameters.Add("$kind", SqliteType.Integer);
        var slug = term.Parameters.Add("$slug", SqliteType.Text);
        var seq = term.Parameters.Add("$seq", SqliteType.Integer);
        var termPublished = term.Parameters.Add("$published", SqliteType.Integer);

        for (var i = 0; i < Count; i++)
        {
            var value = Bulk(i);
            id.Value = value.Id.ToString();
            published.Value = termPublished.Value = value.Published.ToUnixTimeMilliseconds();
            doc.Value = JsonSerializer.Serialize(value, ArticleJson.Default.Article);
            seq.Value = (long)(await article.ExecuteScalarAsync())!;
            foreach (var (termKind, termSlug) in TermsOf(value))
            {
                kind.Value = termKind;
                slug.Value = termSlug;
                await term.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
    }

    /// <summary>The same rows on PostgreSQL, sent as arrays in batches, then ANALYZE so the planner knows the table's size.</summary>
    private static async Task BulkInsertPostgresAsync(PostgresDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        const int batch = 10_000;
        for (var from = 0; from < Count; from += batch)
        {
            var articles = Enumerable.Range(from, batch).Select(Bulk).ToList();
            var seqs = new List<long>(batch);
            await using (var insert = PostgresDatabase.Command(connection, null, """
                INSERT INTO articles (id, status, published_at, updated_at, visible_from, doc)
                SELECT a.id, 1, a.published, a.published, a.published, a.doc
                FROM unnest(@ids::text[], @published::bigint[], @docs::text[]) WITH ORDINALITY AS a(id, published, doc, n)
                ORDER BY a.n
                RETURNING seq;
                """,
                [
                    ("ids", articles.Select(a => a.Id.ToString()).ToArray()),
                    ("published", articles.Select(a => a.Published.ToUnixTimeMilliseconds()).ToArray()),
                    ("docs", articles.Select(a => JsonSerializer.Serialize(a, ArticleJson.Default.Article)).ToArray()),
                ]))
            await using (var reader = await insert.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) seqs.Add(reader.GetInt64(0));
            }
            seqs.Sort();
            var terms = articles.SelectMany((article, index) => TermsOf(article).Select(term => (term.Kind, term.Slug, Seq: seqs[index], Published: article.Published.ToUnixTimeMilliseconds()))).ToList();
            await PostgresDatabase.ExecuteAsync(connection, null, """
                INSERT INTO article_terms (kind, slug, seq, name, status, published_at, visible_from)
                SELECT t.kind, t.slug, t.seq, t.slug, 1, t.published, t.published
                FROM unnest(@kinds::integer[], @slugs::text[], @seqs::bigint[], @published::bigint[]) AS t(kind, slug, seq, published)
                ON CONFLICT DO NOTHING;
                """,
                [
                    ("kinds", terms.Select(t => t.Kind).ToArray()), ("slugs", terms.Select(t => t.Slug).ToArray()),
                    ("seqs", terms.Select(t => t.Seq).ToArray()), ("published", terms.Select(t => t.Published).ToArray()),
                ], CancellationToken.None);
        }
        await PostgresDatabase.ExecuteAsync(connection, null, "ANALYZE;", [], CancellationToken.None);
    }
}
