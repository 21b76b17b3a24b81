using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NewsFeed.Articles;
using NewsFeed.Storage;
using NewsFeed.Tests.Storage;

namespace NewsFeed.Tests.Articles;

/// <summary>
/// The article store's contract (<see cref="IArticleStore"/>), each case on SQLite and on PostgreSQL: same writes,
/// same answers. The query plans at 100,000 articles are in <see cref="ArticleStorePlanTests"/>.
/// </summary>
public sealed class ArticleStoreContractTests
{
    internal static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory, OnSqlite, OnPostgres]
    public async Task Upsert_OfADocumentStoredWithTheOldEscaping_IsUnchanged(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        var article = Article("escaped", Start) with { Title = "“Quotes” & <angles> — and עברית", Body = "<p>A &amp; B</p>" };
        await store.UpsertAsync(article, CancellationToken.None);
        // As stores written before the encoding change hold it: every <, >, & and non-ASCII character as \uXXXX.
        var escaped = JsonSerializer.Serialize(article, ArticleJson.Default.Article);
        Assert.Contains("\\u003C", escaped, StringComparison.Ordinal);
        Assert.Equal(1, await db.ExecuteAsync("UPDATE articles SET doc = @doc WHERE id = @id;", ("doc", escaped), ("id", article.Id.ToString())));
        var revision = await store.VersionOfAsync(null, CancellationToken.None);

        var again = await store.UpsertAsync(article, CancellationToken.None);

        Assert.Equal(UpsertOutcome.Unchanged, again.Outcome);
        Assert.Equal(revision, await store.VersionOfAsync(null, CancellationToken.None));
        Assert.Equal(article, await store.GetAsync(article.Id, CancellationToken.None), ArticleComparer.Instance);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Upsert_ThenReopen_KeepsArticleAndRevision(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var article = Article("kept", Start);
        var store = db.Articles();
        await store.CatchUpAsync(CancellationToken.None);
        Assert.Equal(UpsertOutcome.Created, (await store.UpsertAsync(article, CancellationToken.None)).Outcome);
        var revision = await store.VersionOfAsync(null, CancellationToken.None);

        var reopened = db.Articles();
        await reopened.CatchUpAsync(CancellationToken.None);

        Assert.Equal(article, await reopened.GetAsync(article.Id, CancellationToken.None), ArticleComparer.Instance);
        Assert.Equal(revision, await reopened.VersionOfAsync(null, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Upsert_Correction_UpdatesInPlaceAndMovesRevision(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
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
        Assert.Equal("Corrected", (await store.GetNewestAsync(new TermRef(TermKind.Tag, "new-tag"), now, 5, CancellationToken.None)).Single().Title);
        Assert.Empty(await store.GetNewestAsync(new TermRef(TermKind.Tag, "tag-story"), now, 5, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Upsert_MovesExactlyTheFeedsItTouched(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles(new FakeTimeProvider(Start.AddDays(1)));
        await store.UpsertAsync(Article("business", Start) with { Sections = [new Term("business", "Business")] }, CancellationToken.None);
        var world = new TermRef(TermKind.Section, "world");
        var business = new TermRef(TermKind.Section, "business");
        var before = (Latest: await store.VersionOfAsync(null, CancellationToken.None), World: await store.VersionOfAsync(world, CancellationToken.None),
            Business: await store.VersionOfAsync(business, CancellationToken.None));

        var result = await store.UpsertAsync(Article("story", Start), CancellationToken.None);

        Assert.Equal(
            new[] { "latest", "sections/world", "authors/writer", "tags/tag-story" }.Order(StringComparer.Ordinal),
            result.ChangedFeeds.Select(ArticleFeedTopics.Of).Order(StringComparer.Ordinal));
        Assert.True(await store.VersionOfAsync(null, CancellationToken.None) > before.Latest);
        Assert.True(await store.VersionOfAsync(world, CancellationToken.None) > before.World);
        Assert.Equal(before.Business, await store.VersionOfAsync(business, CancellationToken.None));
        Assert.Equal(Start.AddDays(1), await store.GetFeedChangedAtAsync(world, CancellationToken.None));
        Assert.Null(await store.GetFeedChangedAtAsync(new TermRef(TermKind.Section, "sport"), CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Upsert_WritesOutboxMessagesForVisibleChangesOnly(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var recipients = new OutboxRecipients(["https://hub.example/"]);
        var store = db.Articles(new FakeTimeProvider(Start.AddDays(1)), recipients);
        var outbox = db.Outbox();

        await store.UpsertAsync(Article("draft", Start) with { Status = ArticleStatus.Draft }, CancellationToken.None);
        await store.UpsertAsync(Article("embargoed", Start) with { EmbargoUntil = Start.AddDays(2) }, CancellationToken.None);
        Assert.Equal(0, await outbox.CountPendingAsync(CancellationToken.None));

        var published = await store.UpsertAsync(Article("story", Start), CancellationToken.None);

        Assert.Equal(published.ChangedFeeds.Count, await outbox.CountPendingAsync(CancellationToken.None));
        var claimed = await outbox.ClaimAsync("https://hub.example/", "me", Start.AddDays(1), TimeSpan.FromMinutes(1), 100, CancellationToken.None);
        Assert.Equal(published.ChangedFeeds.Select(ArticleFeedTopics.Of).Order(StringComparer.Ordinal), claimed.Select(m => m.Topic).Order(StringComparer.Ordinal));
        Assert.All(claimed, message => Assert.Equal("https://hub.example/", message.Recipient));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Create_OfAnExistingId_ReturnsNullEvenWhenTwoRace(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var first = db.Articles();
        // One process writes SQLite; on PostgreSQL two instances race.
        var second = engine == StoreEngine.Postgres ? db.Articles() : first;
        var article = Article("once", Start);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second).CreateAsync(article with { Title = $"Copy {i}" }, CancellationToken.None)));

        Assert.Single(results, result => result is not null);
        Assert.Equal(1, await first.CountAsync(CancellationToken.None));
        Assert.Null(await second.CreateAsync(article, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task List_FiltersByStatusNewestFirst(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        await store.UpsertAsync(Article("old", Start), CancellationToken.None);
        await store.UpsertAsync(Article("draft", Start.AddHours(1)) with { Status = ArticleStatus.Draft }, CancellationToken.None);
        await store.UpsertAsync(Article("new", Start.AddHours(2)), CancellationToken.None);

        Assert.Equal(["new", "draft", "old"], (await store.ListAsync(null, 0, 10, CancellationToken.None)).Select(a => a.Slug));
        Assert.Equal(["new", "old"], (await store.ListAsync(ArticleStatus.Published, 0, 10, CancellationToken.None)).Select(a => a.Slug));
        Assert.Equal(["old"], (await store.ListAsync(ArticleStatus.Published, 1, 10, CancellationToken.None)).Select(a => a.Slug));
        Assert.Equal(3, await store.CountAsync(CancellationToken.None));
        var terms = await store.ListTermsAsync(Start.AddDays(1), CancellationToken.None);
        Assert.Contains(new TermSummary(TermKind.Section, "world", "World", 2), terms);
        Assert.DoesNotContain(terms, term => term.Slug == "tag-draft");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Terms_VisibilityFollowsStatusAndEmbargo(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
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
        Assert.Empty(await store.GetNewestAsync(null, now, 10, CancellationToken.None));
        Assert.Equal(now.AddHours(1), await store.GetNextEmbargoLiftAsync(now, CancellationToken.None));
        Assert.Single(await store.GetNewestAsync(null, now.AddHours(1), 10, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AnnounceLifts_TwoInstancesOnOneStore_AnnounceEachLiftOnce(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var recipients = new OutboxRecipients(["https://hub.example/"]);
        var a = db.Articles(new FakeTimeProvider(Start), recipients);
        var b = db.Articles(new FakeTimeProvider(Start), recipients);
        // The very first call only sets the mark.
        Assert.Empty(await a.AnnounceLiftsAsync(Start, CancellationToken.None));
        var scoop = Article("scoop", Start) with { EmbargoUntil = Start.AddHours(1) };
        await a.UpsertAsync(scoop, CancellationToken.None);
        await a.UpsertAsync(Article("plain", Start.AddMinutes(30)), CancellationToken.None);
        var outbox = db.Outbox();
        var pending = await outbox.ClaimAsync("https://hub.example/", "drain", Start.AddMinutes(30), TimeSpan.FromMinutes(1), 100, CancellationToken.None);
        foreach (var message in pending) await outbox.CompleteAsync(message, "drain", Start.AddMinutes(30), CancellationToken.None);

        var lift = Start.AddHours(1).AddSeconds(1);
        // On PostgreSQL the two instances announce at the same moment; one process writes SQLite, in turn.
        IReadOnlyList<Article>[] announced = engine == StoreEngine.Postgres
            ? await Task.WhenAll(a.AnnounceLiftsAsync(lift, CancellationToken.None), b.AnnounceLiftsAsync(lift, CancellationToken.None))
            : [await a.AnnounceLiftsAsync(lift, CancellationToken.None), await b.AnnounceLiftsAsync(lift, CancellationToken.None)];

        Assert.Equal(["scoop"], announced.SelectMany(list => list).Select(article => article.Slug));
        Assert.Equal(scoop.Feeds().Count(), await outbox.CountPendingAsync(CancellationToken.None));
        Assert.Empty(await b.AnnounceLiftsAsync(lift.AddHours(1), CancellationToken.None));
    }

    internal static Article Article(string slug, DateTimeOffset published) => new()
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

    /// <summary>Records compare lists by reference; articles are equal when their JSON is.</summary>
    private sealed class ArticleComparer : IEqualityComparer<Article?>
    {
        public static readonly ArticleComparer Instance = new();

        public bool Equals(Article? x, Article? y) =>
            JsonSerializer.Serialize(x, ArticleJson.Default.Article!) == JsonSerializer.Serialize(y, ArticleJson.Default.Article!);

        public int GetHashCode(Article? obj) => 0;
    }
}
