using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsFeed.Articles;
using NewsFeed.Storage;

namespace NewsFeed.Tests.Articles;

public sealed class SqliteArticleStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        new SqliteFile(_path).ClearPool();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>A store on this test's file, migrated and caught up, as the app's start leaves it.</summary>
    private async Task<SqliteArticleStore> OpenStoreAsync()
    {
        var file = new SqliteFile(_path);
        await SqliteSchema.MigrateAsync(file, CancellationToken.None);
        var store = new SqliteArticleStore(file);
        await store.CatchUpAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task FeedQueries_100kArticles_WalkAnIndexInOrder()
    {
        using var store = await OpenStoreAsync();
        await BulkInsertAsync(100_000);

        // No "SCAN" of a table and no "USE TEMP B-TREE FOR ORDER BY": cost is O(limit), not O(store).
        AssertPlan(SqliteArticleStore.NewestSql, "ix_articles_newest");
        AssertPlan(SqliteArticleStore.NewestInTermSql, "ix_terms_newest");
        AssertPlan(SqliteArticleStore.TermNameSql, "ix_terms_newest");
        AssertPlan(SqliteArticleStore.NextEmbargoLiftSql, "ix_articles_embargo");

        var now = Start.AddDays(200_000);
        var newest = await store.GetNewestAsync(null, now, 0, 20, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"bulk-{99_999 - i}"), newest.Select(a => a.Slug));
        var section = await store.GetNewestAsync(new TermRef(TermKind.Section, "section-3"), now, 0, 20, CancellationToken.None);
        Assert.Equal(20, section.Count);
        Assert.All(section, a => Assert.Equal("section-3", a.Sections[0].Slug));
        Assert.Equal(section.OrderByDescending(a => a.Published), section);
    }

    [Fact]
    public async Task Upsert_OfADocumentStoredWithTheOldEscaping_IsUnchanged()
    {
        var article = Article("escaped", Start) with { Title = "“Quotes” & <angles> — and עברית", Body = "<p>A &amp; B</p>" };
        using var store = await OpenStoreAsync();
        await store.UpsertAsync(article, CancellationToken.None);
        // As stores written before the encoding change hold it: every <, >, & and non-ASCII character as \uXXXX.
        var escaped = JsonSerializer.Serialize(article, ArticleJson.Default.Article);
        Assert.Contains("\\u003C", escaped, StringComparison.Ordinal);
        using (var connection = new SqliteConnection($"Data Source={_path}"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE articles SET doc = $doc WHERE id = $id;";
            update.Parameters.AddWithValue("$doc", escaped);
            update.Parameters.AddWithValue("$id", article.Id.ToString());
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        new SqliteFile(_path).ClearPool();
        var revision = await store.VersionOfAsync(null, CancellationToken.None);

        var again = await store.UpsertAsync(article, CancellationToken.None);

        Assert.Equal(UpsertOutcome.Unchanged, again.Outcome);
        Assert.Equal(revision, await store.VersionOfAsync(null, CancellationToken.None));
        Assert.Equal(article, await store.GetAsync(article.Id, CancellationToken.None), ArticleComparer.Instance);
    }

    [Fact]
    public async Task Upsert_ThenReopen_KeepsArticleAndRevision()
    {
        var article = Article("kept", Start);
        long revision;
        using (var store = await OpenStoreAsync())
        {
            Assert.Equal(UpsertOutcome.Created, (await store.UpsertAsync(article, CancellationToken.None)).Outcome);
            revision = await store.VersionOfAsync(null, CancellationToken.None);
        }
        new SqliteFile(_path).ClearPool();

        using var reopened = await OpenStoreAsync();

        Assert.Equal(article, await reopened.GetAsync(article.Id, CancellationToken.None), ArticleComparer.Instance);
        Assert.Equal(revision, await reopened.VersionOfAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_Correction_UpdatesInPlaceAndMovesRevision()
    {
        using var store = await OpenStoreAsync();
        var original = Article("story", Start);
        await store.UpsertAsync(original, CancellationToken.None);
        var revision = await store.VersionOfAsync(null, CancellationToken.None);

        var corrected = original with { Title = "Corrected", Updated = Start.AddHours(3), Tags = [new Term("new-tag", "New tag")] };
        var result = await store.UpsertAsync(corrected, CancellationToken.None);

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal("Title story", result.Previous!.Title);
        Assert.True(await store.VersionOfAsync(null, CancellationToken.None) > revision);
        Assert.Equal(1, await store.CountAsync(CancellationToken.None));
        var now = Start.AddDays(1);
        Assert.Equal("Corrected", (await store.GetNewestAsync(new TermRef(TermKind.Tag, "new-tag"), now, 0, 5, CancellationToken.None)).Single().Title);
        Assert.Empty(await store.GetNewestAsync(new TermRef(TermKind.Tag, "tag-story"), now, 0, 5, CancellationToken.None));
    }

    [Fact]
    public async Task Terms_VisibilityFollowsStatusAndEmbargo()
    {
        using var store = await OpenStoreAsync();
        var now = Start.AddDays(10);
        await store.UpsertAsync(Article("draft", Start) with { Status = ArticleStatus.Draft, Tags = [new Term("secret", "Secret")] }, CancellationToken.None);
        await store.UpsertAsync(Article("embargoed", Start) with { EmbargoUntil = now.AddHours(1), Tags = [new Term("scoop", "Scoop")] }, CancellationToken.None);
        var gone = Article("gone", Start) with { Tags = [new Term("retracted", "Retracted")] };
        await store.UpsertAsync(gone, CancellationToken.None);
        await store.UpsertAsync(gone with { Status = ArticleStatus.Retracted }, CancellationToken.None);
        // Retracting what was never public (a draft) reveals nothing.
        var spiked = Article("spiked", Start) with { Status = ArticleStatus.Draft, Tags = [new Term("merger-with-acme", "Merger")] };
        await store.UpsertAsync(spiked, CancellationToken.None);
        var retracted = await store.UpsertAsync(spiked with { Status = ArticleStatus.Retracted }, CancellationToken.None);

        Assert.Null(await store.FindTermNameAsync(new TermRef(TermKind.Tag, "secret"), now, CancellationToken.None));
        Assert.Null(await store.FindTermNameAsync(new TermRef(TermKind.Tag, "scoop"), now, CancellationToken.None));
        Assert.Equal("Scoop", await store.FindTermNameAsync(new TermRef(TermKind.Tag, "scoop"), now.AddHours(1), CancellationToken.None));
        // A feed whose only article was retracted stays a (now empty) feed rather than vanishing.
        Assert.Equal("Retracted", await store.FindTermNameAsync(new TermRef(TermKind.Tag, "retracted"), now, CancellationToken.None));
        Assert.Null(await store.FindTermNameAsync(new TermRef(TermKind.Tag, "merger-with-acme"), now, CancellationToken.None));
        Assert.Empty(retracted.ChangedFeeds);
        Assert.Empty(await store.GetNewestAsync(null, now, 0, 10, CancellationToken.None));
        Assert.Equal(now.AddHours(1), await store.GetNextEmbargoLiftAsync(now, CancellationToken.None));
        Assert.Single(await store.GetNewestAsync(null, now.AddHours(1), 0, 10, CancellationToken.None));
    }

    private static Article Article(string slug, DateTimeOffset published) => new()
    {
        Id = Guid.NewGuid(),
        Slug = slug,
        Url = $"https://news.example.com/world/{slug}",
        Title = $"Title {slug}",
        Summary = "Summary",
        Body = "<p>Body</p>",
        Authors = [new Author("Writer", "writer")],
        Sections = [new Term("world", "World")],
        Tags = [new Term("tag-" + slug, "Tag " + slug)],
        Published = published,
        Updated = published,
    };

    /// <summary>Writes rows the way the store does, in one transaction, so 100k articles take seconds.</summary>
    private async Task BulkInsertAsync(int count)
    {
        await using var connection = new SqliteConnection($"Data Source={_path}");
        await connection.OpenAsync();
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

        for (var i = 0; i < count; i++)
        {
            var value = Article($"bulk-{i}", Start.AddHours(i)) with
            {
                Sections = [new Term($"section-{i % 5}", "S")],
                Authors = [new Author("A", $"author-{i % 50}")],
                Tags = [new Term($"tag-{i % 500}", "T"), new Term($"tag-{(i * 7) % 500}", "T")],
            };
            id.Value = value.Id.ToString();
            published.Value = termPublished.Value = value.Published.ToUnixTimeMilliseconds();
            doc.Value = JsonSerializer.Serialize(value, ArticleJson.Default.Article);
            seq.Value = (long)(await article.ExecuteScalarAsync())!;
            foreach (var (termKind, termSlug) in new[] { (1, value.Sections[0].Slug), (2, value.Authors[0].Slug), (3, value.Tags[0].Slug), (3, value.Tags[1].Slug) })
            {
                kind.Value = termKind;
                slug.Value = termSlug;
                await term.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
    }

    private void AssertPlan(string sql, string index)
    {
        using var connection = new SqliteConnection($"Data Source={_path}");
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

    /// <summary>Records compare lists by reference; articles are equal when their JSON is.</summary>
    private sealed class ArticleComparer : IEqualityComparer<Article?>
    {
        public static readonly ArticleComparer Instance = new();

        public bool Equals(Article? x, Article? y) =>
            JsonSerializer.Serialize(x, ArticleJson.Default.Article!) == JsonSerializer.Serialize(y, ArticleJson.Default.Article!);

        public int GetHashCode(Article? obj) => 0;
    }
}
