using Microsoft.Extensions.Time.Testing;
using NewsFeed.Articles;
using NewsFeed.Storage;
using Npgsql;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Storage;

/// <summary>
/// Feed versions across instances of one store: a write made through one instance moves exactly its feeds'
/// versions in another. On SQLite the other is the import command's process, noticed by CatchUpAsync; on
/// PostgreSQL the write's NOTIFY reaches the other instance's listener, and while that listener is broken the
/// other instance reads the stored versions instead.
/// </summary>
public sealed class FeedVersionContractTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private static readonly TermRef World = new(TermKind.Section, "world");
    private static readonly TermRef Business = new(TermKind.Section, "business");

    [Theory, OnSqlite, OnPostgres]
    public async Task ArticleWrite_ThroughInstanceA_MovesItsFeedsInInstanceB(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var b = db.Articles(listener: engine == StoreEngine.Postgres ? await db.ListenerAsync() : null);
        await b.CatchUpAsync(CancellationToken.None);
        var a = db.Articles();
        await a.UpsertAsync(Article("business", Start) with { Sections = [new Term("business", "Business")] }, CancellationToken.None);
        await b.CatchUpAsync(CancellationToken.None);
        await WaitAsync(async () => await b.VersionOfAsync(null, CancellationToken.None) > 0, "B never saw the first write");
        var before = (Latest: await b.VersionOfAsync(null, CancellationToken.None), World: await b.VersionOfAsync(World, CancellationToken.None),
            Business: await b.VersionOfAsync(Business, CancellationToken.None));

        await a.UpsertAsync(Article("story", Start), CancellationToken.None);

        if (engine == StoreEngine.Sqlite)
        {
            // Which feeds another process touched is unknown to SQLite's catch-up: every feed moves.
            Assert.True(await b.CatchUpAsync(CancellationToken.None));
            Assert.True(await b.VersionOfAsync(World, CancellationToken.None) > before.World);
            return;
        }
        await WaitAsync(async () => await b.VersionOfAsync(World, CancellationToken.None) > before.World, "B's version of the section did not move");
        Assert.True(await b.VersionOfAsync(null, CancellationToken.None) > before.Latest);
        // Exact: a feed the write did not touch keeps its version (and its cached page).
        Assert.Equal(before.Business, await b.VersionOfAsync(Business, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task PartnerWrite_ThroughInstanceA_MovesItsFeedsInInstanceB(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var a = db.Partners();
        // The embedded store has one process: "B" is that process's other handle on the file, which reads what it wrote.
        var b = engine == StoreEngine.Postgres ? db.Partners(listener: await db.ListenerAsync()) : a;
        var now = Start;
        await a.AddAsync(new NewsFeed.Partners.Partner { Id = "metro", Name = "Metro", Url = "https://metro.example/feed" }, now, CancellationToken.None);
        await a.AddAsync(new NewsFeed.Partners.Partner { Id = "alpine", Name = "Alpine", Url = "https://alpine.example/feed" }, now, CancellationToken.None);
        var before = (All: await b.VersionOfAsync(null, CancellationToken.None), Metro: await b.VersionOfAsync("metro", CancellationToken.None),
            Alpine: await b.VersionOfAsync("alpine", CancellationToken.None));

        await a.UpdateAsync(new NewsFeed.Partners.Partner { Id = "metro", Name = "Metro Daily", Url = "https://metro.example/feed" }, now, CancellationToken.None);

        await WaitAsync(async () => await b.VersionOfAsync("metro", CancellationToken.None) > before.Metro, "B's version of the partner did not move");
        Assert.True(await b.VersionOfAsync(null, CancellationToken.None) > before.All);
        Assert.Equal(before.Alpine, await b.VersionOfAsync("alpine", CancellationToken.None));
    }

    [Theory, OnPostgres]
    public async Task BrokenListener_ReadsStoredVersions_ThenMovesEveryFeedWhenListeningAgain(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var time = new FakeTimeProvider(Start);
        var listener = await db.ListenerAsync(time);
        var b = db.Articles(listener: listener);
        var partnersB = db.Partners(listener: listener);
        var a = db.Articles();
        await a.UpsertAsync(Article("first", Start), CancellationToken.None);
        await WaitAsync(async () => await b.VersionOfAsync(null, CancellationToken.None) > 0, "B never heard the first write");

        // The server ends the listening connection; the listener's retry waits on the fake clock.
        await using (var admin = await db.Database!.OpenAsync(CancellationToken.None))
        {
            await PostgresDatabase.ExecuteAsync(admin, null, "SELECT pg_terminate_backend(@pid);", [("pid", listener.BackendProcessId!.Value)], CancellationToken.None);
        }
        await Eventually.WaitUntilAsync(() => !listener.IsListening, Bound, () => "the listener did not notice its connection broke");
        var latest = await b.VersionOfAsync(null, CancellationToken.None);
        var business = await b.VersionOfAsync(Business, CancellationToken.None);

        // Deaf, B reads each feed's stored version: the write shows at once, with no notification heard.
        await a.UpsertAsync(Article("second", Start), CancellationToken.None);
        var stored = await b.VersionOfAsync(null, CancellationToken.None);
        Assert.True(stored > latest);
        Assert.Equal(business, await b.VersionOfAsync(Business, CancellationToken.None));

        // Listening again: every feed moves to the committed revision (what it missed meanwhile is unknown).
        await Eventually.WaitUntilAsync(() =>
        {
            time.Advance(PostgresChangeListener.LastRetry);
            return listener.IsListening;
        }, TimeSpan.FromSeconds(10), () => "the listener did not listen again");
        Assert.True(await b.VersionOfAsync(Business, CancellationToken.None) >= stored);
        Assert.True(await partnersB.VersionOfAsync("anyone", CancellationToken.None) >= stored);
        Assert.True(await b.VersionOfAsync(null, CancellationToken.None) >= stored);
    }

    [Theory, OnPostgres]
    public async Task BrokenListener_WithTheDatabaseDown_Throws(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var unreachable = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var down = new PostgresDatabase(unreachable);
        using var store = new PostgresArticleStore(down, listener: null);

        await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await store.VersionOfAsync(null, CancellationToken.None));
    }

    [Theory, OnPostgres]
    public async Task Change_TooLargeToName_MovesEveryFeedOfTheStore(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var b = db.Articles(listener: await db.ListenerAsync());
        var a = db.Articles();
        var before = await b.VersionOfAsync(Business, CancellationToken.None);
        // 400 tags of 30 characters: the list of feeds would not fit in a notification.
        var tags = Enumerable.Range(0, 400).Select(i => new Term($"a-rather-long-tag-number-{i:D5}", "Tag")).ToList();

        await a.UpsertAsync(Article("tagged", Start) with { Tags = tags }, CancellationToken.None);

        await WaitAsync(async () => await b.VersionOfAsync(Business, CancellationToken.None) > before, "an unnamed change did not move every feed");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ConcurrentWrites_FromTwoInstances_AllCommit_AndEveryInstanceEndsAtTheLastVersion(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var recipients = new OutboxRecipients(["https://hub-a.example/", "https://hub-b.example/"]);
        var time = new FakeTimeProvider(Start.AddDays(1));
        var listener = engine == StoreEngine.Postgres ? await db.ListenerAsync() : null;
        // Two instances on PostgreSQL; one process (two handles on its file would race SQLite's lock) on SQLite.
        var a = db.Articles(time, recipients, listener);
        var b = engine == StoreEngine.Postgres ? db.Articles(time, recipients) : a;
        // Every article shares the latest feed and one section, so the writes contend for the same rows.
        var articles = Enumerable.Range(0, 40).Select(i => Article($"story-{i}", Start.AddMinutes(i)) with { Tags = [new Term($"tag-{i % 3}", "Tag")] }).ToList();

        var results = await Task.WhenAll(articles.Select((article, i) => (i % 2 == 0 ? a : b).UpsertAsync(article, CancellationToken.None)));
        await Task.WhenAll(articles.Take(10).Select((article, i) => (i % 2 == 0 ? b : a).UpsertAsync(article with { Title = "Corrected" }, CancellationToken.None)));

        Assert.All(results, result => Assert.Equal(UpsertOutcome.Created, result.Outcome));
        Assert.Equal(40, await a.CountAsync(CancellationToken.None));
        // Each hub, each feed once however many writes touched it: latest, world, the writer and three tags.
        Assert.Equal(2 * 6, await db.Outbox().CountPendingAsync(CancellationToken.None));
        var reader = db.Articles();
        await reader.CatchUpAsync(CancellationToken.None);
        var stored = await reader.VersionOfAsync(World, CancellationToken.None);
        await WaitAsync(async () => await a.VersionOfAsync(World, CancellationToken.None) >= stored, "instance A's version of the section is behind the store's");
        Assert.Equal(stored, await b.VersionOfAsync(World, CancellationToken.None));
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(10);
        }
    }
}
