using NewsFeed.Articles;
using NewsFeed.Tests.Storage;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Articles;

/// <summary>The reads behind RFC 5005 archives (<see cref="IArticleStore.ReadArchivedAsync"/>, pending embargoes, the neighbouring months), on both engines.</summary>
public sealed class ArticleStoreArchiveTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset April = March.AddMonths(1);
    private static readonly DateTimeOffset June = March.AddMonths(3);
    private static readonly DateTimeOffset Now = new(2026, 7, 15, 0, 0, 0, TimeSpan.Zero);
    private static readonly TermRef World = new(TermKind.Section, "world");

    [Theory, OnSqlite, OnPostgres]
    public async Task Archived_OneMonth_IsItsVisibleArticlesNewestFirst(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        var first = Article("march-first", March);
        var last = Article("march-last", April.AddMilliseconds(-1));
        var middle = Article("march-middle", March.AddDays(10));
        var draft = Article("march-draft", March.AddDays(11)) with { Status = ArticleStatus.Draft };
        var retracted = Article("march-retracted", March.AddDays(12)) with { Status = ArticleStatus.Retracted };
        var april = Article("april", April);
        var elsewhere = Article("march-culture", March.AddDays(5)) with { Sections = [new Term("culture", "Culture")] };
        foreach (var article in new[] { first, last, middle, draft, retracted, april, elsewhere })
        {
            await store.UpsertAsync(article, CancellationToken.None);
        }

        var all = await ArchivedAsync(store, null, Now, March, April, 100);
        Assert.Equal(["march-last", "march-middle", "march-culture", "march-first"], all.Select(a => a.Item.Slug));
        Assert.Null(await store.GetPendingLiftAsync(Now, March, April, CancellationToken.None));

        var world = await ArchivedAsync(store, World, Now, March, April, 100);
        Assert.Equal(["march-last", "march-middle", "march-first"], world.Select(a => a.Item.Slug));

        // A long month goes on below the last row given, as a page does.
        var firstTwo = await ArchivedAsync(store, World, Now, March, April, 2);
        Assert.Equal(["march-last", "march-middle"], firstTwo.Select(a => a.Item.Slug));
        var rest = await ArchivedAsync(store, World, Now, March, April, 2, firstTwo[^1].Key);
        Assert.Equal(["march-first"], rest.Select(a => a.Item.Slug));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Archived_WithAnEmbargoStillOn_LeavesItOutAndSaysWhenItLifts(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        var lift = Now.AddDays(1);
        await store.UpsertAsync(Article("out", March.AddDays(1)), CancellationToken.None);
        await store.UpsertAsync(Article("held", March.AddDays(2)) with { EmbargoUntil = lift }, CancellationToken.None);

        var before = await ArchivedAsync(store, World, Now, March, April, 100);
        Assert.Equal(["out"], before.Select(a => a.Item.Slug));
        Assert.Equal(lift, await store.GetPendingLiftAsync(Now, March, April, CancellationToken.None));
        Assert.Null(await store.GetPendingLiftAsync(Now, April, June, CancellationToken.None));

        var after = await ArchivedAsync(store, World, lift, March, April, 100);
        Assert.Equal(["held", "out"], after.Select(a => a.Item.Slug));
        Assert.Null(await store.GetPendingLiftAsync(lift, March, April, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Neighbours_SkipEmptyMonthsAndInvisibleArticles(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        await store.UpsertAsync(Article("march", March.AddDays(3)), CancellationToken.None);
        await store.UpsertAsync(Article("april-draft", April.AddDays(3)) with { Status = ArticleStatus.Draft }, CancellationToken.None);
        await store.UpsertAsync(Article("june", June.AddDays(3)), CancellationToken.None);
        await store.UpsertAsync(Article("june-held", June.AddDays(4)) with { EmbargoUntil = Now.AddDays(1) }, CancellationToken.None);

        Assert.Equal(March.AddDays(3), await store.GetNewestPublishedBeforeAsync(World, Now, June, CancellationToken.None));
        Assert.Equal(June.AddDays(3), await store.GetOldestPublishedFromAsync(null, Now, April, CancellationToken.None));
        Assert.Null(await store.GetNewestPublishedBeforeAsync(null, Now, March, CancellationToken.None));
        Assert.Null(await store.GetOldestPublishedFromAsync(World, Now, June.AddDays(4), CancellationToken.None));
        Assert.Equal(June.AddDays(3), await store.GetNewestPublishedBeforeAsync(null, Now, DateTimeOffset.MaxValue, CancellationToken.None));
        Assert.Equal(June.AddDays(4), await store.GetNewestPublishedBeforeAsync(null, Now.AddDays(2), DateTimeOffset.MaxValue, CancellationToken.None));
    }

    private static async Task<List<KeyedRow<Article>>> ArchivedAsync(IArticleStore store, TermRef? term, DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, int count, RowKey? below = null)
    {
        var rows = new List<KeyedRow<Article>>();
        await foreach (var row in store.ReadArchivedAsync(term, now, from, below ?? new RowKey(to.ToUnixTimeMilliseconds(), 0), count, CancellationToken.None)) rows.Add(row);
        return rows;
    }
}
