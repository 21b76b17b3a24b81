using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsFeed.Articles;
using NewsFeed.Storage;
using NewsFeed.Tests.Storage;
using Xunit.Abstractions;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Articles;

/// <summary>
/// Feed queries cost O(limit), not O(store), on both engines: at 100,000 articles each walks one index in order
/// and stops (no table scan, no sort), checked in the engine's own query plan.
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
            // No "SCAN" of a table and no "USE TEMP B-TREE FOR ORDER BY".
            AssertSqlitePlan(db.File!, SqliteArticleStore.NewestSql, "ix_articles_newest");
            AssertSqlitePlan(db.File!, SqliteArticleStore.NewestInTermSql, "ix_terms_newest");
            AssertSqlitePlan(db.File!, SqliteArticleStore.TermNameSql, "ix_terms_newest");
            AssertSqlitePlan(db.File!, SqliteArticleStore.NextEmbargoLiftSql, "ix_articles_embargo");
        }
        else
        {
            await BulkInsertPostgresAsync(db.Database!);
            // An Index Scan under a Limit; no Sort, no Seq Scan. "now" is after every article, as a reader's is.
            await AssertPostgresPlanAsync(db.Database!, PostgresArticleStore.NewestSql, "ix_articles_newest");
            await AssertPostgresPlanAsync(db.Database!, PostgresArticleStore.NewestInTermSql, "ix_terms_newest");
            await AssertPostgresPlanAsync(db.Database!, PostgresArticleStore.TermNameSql, "ix_terms_newest");
            await AssertPostgresPlanAsync(db.Database!, PostgresArticleStore.NextEmbargoLiftSql, "ix_articles_embargo");
        }

        var now = Start.AddDays(200_000);
        var newest = await store.GetNewestAsync(null, now, 0, 20, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"bulk-{Count - 1 - i}"), newest.Select(a => a.Slug));
        var section = await store.GetNewestAsync(new TermRef(TermKind.Section, "section-3"), now, 0, 20, CancellationToken.None);
        Assert.Equal(20, section.Count);
        Assert.All(section, a => Assert.Equal("section-3", a.Sections[0].Slug));
        Assert.Equal(section.OrderByDescending(a => a.Published), section);
    }

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

    private static void AssertSqlitePlan(SqliteFile file, string sql, string index)
    {
        using var connection = new SqliteConnection(file.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in new (string, object)[] { ("$now", 0L), ("$count", 20), ("$offset", 0), ("$kind", 1), ("$slug", "section-3") })
        {
            if (sql.Contains(name, StringComparison.Ordinal)) command.Parameters.AddWithValue(name, value);
        }
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) plan.Add(reader.GetString(3));
        }
        var text = string.Join(" | ", plan);
        Assert.Contains(index, text, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", text, StringComparison.Ordinal);
        // "SCAN CONSTANT ROW" is the one-row SELECT around COALESCE, not a table.
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal) && step != "SCAN CONSTANT ROW" && !step.Contains("INDEX", StringComparison.Ordinal));
    }

    private async Task AssertPostgresPlanAsync(PostgresDatabase database, string sql, string index)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        (string, object?)[] parameters =
        [
            ("now", Start.AddDays(200_000).ToUnixTimeMilliseconds()), ("count", 20), ("offset", 0), ("kind", 1), ("slug", "section-3"),
        ];
        await using var command = PostgresDatabase.Command(connection, null, "EXPLAIN " + sql,
            [.. parameters.Where(p => sql.Contains("@" + p.Item1, StringComparison.Ordinal))]);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        }
        var text = string.Join("\n", plan);
        output.WriteLine($"EXPLAIN at {Count:N0} articles:\n{sql}\n{text}\n");
        Assert.Matches($"Index (Only )?Scan using {index}", text);
        Assert.Contains("Limit", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
    }
}
