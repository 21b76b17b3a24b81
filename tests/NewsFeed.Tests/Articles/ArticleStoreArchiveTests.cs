using NewsFeed.Articles;
using NewsFeed.Tests.Storage;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Articles;

/// <summary>The reads behind RFC 5005 archives (<see cref="IArticleStore.GetArchivedAsync"/> and the neighbouring months), on both engines.</summary>
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

        var all = await store.GetArchivedAsync(null, Now, March, April, 100, CancellationToken.None);
        Assert.Equal(["march-last", "march-middle", "march-culture", "march-first"], all.Items.Select(a => a.Slug));
        Assert.False(all.HasMore);
        Assert.Null(all.PendingUntil);

        var world = await store.GetArchivedAsync(World, Now, March, April, 100, CancellationToken.None);
        Assert.Equal(["march-last", "march-middle", "march-first"], world.Items.Select(a => a.Slug));

        var firstTwo = await store.GetArchivedAsync(World, Now, March, April, 2, CancellationToken.None);
        Assert.Equal(["march-last", "march-middle"], firstTwo.Items.Select(a => a.Slug));
        Assert.True(firstTwo.HasMore);
        var exactly = await store.GetArchivedAsync(World, Now, March, April, 3, CancellationToken.None);
        Assert.False(exactly.HasMore);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Archived_WithAnEmbargoStillOn_LeavesItOutAndSaysWhenItLifts(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        var lift = Now.AddDays(1);
        await store.UpsertAsync(Article("out", March.AddDays(1)), CancellationToken.None);
        await store.UpsertAsync(Article("held", March.AddDays(2)) with { EmbargoUntil = lift }, CancellationToken.None);

        var before = await store.GetArchivedAsync(World, Now, March, April, 100, CancellationToken.None);
        Assert.Equal(["out"], before.Items.Select(a => a.Slug));
        Assert.Equal(lift, before.PendingUntil);

        var after = await store.GetArchivedAsync(World, lift, March, April, 100, CancellationToken.None);
        Assert.Equal(["held", "out"], after.Items.Select(a => a.Slug));
        Assert.Null(after.PendingUntil);
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
}
