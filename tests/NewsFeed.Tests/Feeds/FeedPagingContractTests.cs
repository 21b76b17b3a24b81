using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Feeds;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using NewsFeed.Site;
using NewsFeed.Tests.Storage;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// Cursor paging over real stores on both engines: walking <c>next</c> from the first page visits every visible
/// item exactly once, in the one feed order (<see cref="FeedCursor"/>), however many items share a published time
/// and across the merge of articles and partner items; an old <c>?page=N</c> starts where the walk's page N does.
/// </summary>
public sealed class FeedPagingContractTests
{
    private static readonly DateTimeOffset Now = Start.AddDays(30);

    private static readonly (FeedKind Kind, string? Slug)[] EveryKindOfFeed =
    [
        (FeedKind.Latest, null), (FeedKind.Section, "world"), (FeedKind.Tag, "shared"), (FeedKind.AllPartners, null), (FeedKind.Partner, "wire"),
    ];

    [Theory, OnSqlite, OnPostgres]
    public async Task WalkingNext_FromTheFirstPage_VisitsEveryItemOnceInFeedOrder(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var reader = await FillAsync(db, partnersInSections: true);
        foreach (var (kind, slug) in EveryKindOfFeed)
        {
            await AssertWalkVisitsEveryItemOnceAsync(reader, kind, slug);
        }
    }

    private static async Task AssertWalkVisitsEveryItemOnceAsync(FeedPageReader reader, FeedKind kind, string? slug)
    {
        var everything = await ReadAllAsync(reader, new FeedKey(kind, slug, FeedFormat.Rss, 1000, null));
        Assert.True(everything.Count >= 7, $"{kind}: only {everything.Count} items");
        Assert.Equal(everything.OrderByDescending(entry => entry.Position), everything);

        foreach (var limit in new[] { 1, 4, 7 })
        {
            var walked = await WalkAsync(reader, new FeedKey(kind, slug, FeedFormat.Rss, limit, null));
            Assert.Equal(everything.Select(entry => entry.Article.Id), walked.SelectMany(page => page).Select(entry => entry.Article.Id));

            // ?page=N starts below the last item of the walk's page N - 1.
            for (var page = 2; page <= walked.Count; page++)
            {
                var cursor = await reader.CursorOfPageAsync(new FeedKey(kind, slug, FeedFormat.Rss, limit, null), page, Now, CancellationToken.None);
                Assert.Equal(walked[page - 2][^1].Position, cursor);
            }
            Assert.Null(await reader.CursorOfPageAsync(new FeedKey(kind, slug, FeedFormat.Rss, limit, null), walked.Count + 1, Now, CancellationToken.None));
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SectionWithPartnerItems_MergesByTheSameOrderAsTheStores(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var reader = await FillAsync(db, partnersInSections: true);
        var section = await ReadAllAsync(reader, new FeedKey(FeedKind.Section, "world", FeedFormat.Json, 1000, null));

        // Every article and every partner item of the section, articles first at equal times.
        Assert.Equal(ArticleCount + PartnerItemCount, section.Count);
        var tie = section.Where(entry => entry.Position.Time == Tied.ToUnixTimeMilliseconds()).ToList();
        Assert.Equal(TiedArticles + TiedPartnerItems, tie.Count);
        Assert.Equal(Enumerable.Repeat(FeedItemSource.Article, TiedArticles).Concat(Enumerable.Repeat(FeedItemSource.Partner, TiedPartnerItems)),
            tie.Select(entry => entry.Position.Source));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SectionWithoutPartnerItems_ListsArticlesOnly(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var reader = await FillAsync(db, partnersInSections: false);

        var section = await ReadAllAsync(reader, new FeedKey(FeedKind.Section, "world", FeedFormat.Atom, 1000, null));

        Assert.Equal(ArticleCount, section.Count);
        Assert.All(section, entry => Assert.Equal(FeedItemSource.Article, entry.Position.Source));
    }

    private const int ArticleCount = 23;
    private const int TiedArticles = 9;
    private const int PartnerItemCount = 14;
    private const int TiedPartnerItems = 6;
    private static readonly DateTimeOffset Tied = Start.AddDays(3);

    /// <summary>
    /// Articles in "world" (all tagged "shared"), nine of them published at the same millisecond, and partner
    /// items of two partners filed under "world", six of them at that same millisecond too.
    /// </summary>
    private static async Task<FeedPageReader> FillAsync(TestStore db, bool partnersInSections)
    {
        var articles = db.Articles();
        for (var i = 0; i < ArticleCount; i++)
        {
            var published = i < TiedArticles ? Tied : Start.AddHours(i * 7);
            await articles.UpsertAsync(Article($"story-{i}", published) with { Tags = [new Term("shared", "Shared")] }, CancellationToken.None);
        }
        var partners = db.Partners();
        foreach (var id in new[] { "wire", "daily" })
        {
            await partners.AddAsync(new Partner { Id = id, Name = "Name " + id, Url = $"https://{id}.example/feed", Section = "world" }, Now, CancellationToken.None);
        }
        var items = Enumerable.Range(0, PartnerItemCount).Select(i => PartnerItem(i % 2 == 0 ? "wire" : "daily", $"item-{i}", i < TiedPartnerItems ? Tied : Start.AddHours(i * 5 + 1))).ToList();
        foreach (var group in items.GroupBy(item => item.PartnerId))
        {
            await partners.SaveItemsAsync(group.Key, [.. group], 1000, TimeSpan.FromDays(365), Now, CancellationToken.None);
        }
        return new FeedPageReader(articles, partners, Options.Create(new SiteOptions()), Options.Create(new PartnerOptions { IncludeInSections = partnersInSections }), Options.Create(new FeedOptions()));
    }

    private static StoredPartnerItem PartnerItem(string partnerId, string key, DateTimeOffset published) => new()
    {
        Item = new PartnerItem { Key = key, Title = "Title " + key, Url = $"https://{partnerId}.example/{key}", Published = published, ContentHash = "h-" + key },
        PartnerId = partnerId,
        PartnerName = "Name " + partnerId,
        FeedUrl = $"https://{partnerId}.example/feed",
        Section = "world",
        FirstSeen = Now,
        FetchedAt = Now,
    };

    private static async Task<IReadOnlyList<FeedItem>> ReadAllAsync(FeedPageReader reader, FeedKey key)
    {
        var page = await reader.ReadAsync(key, Now, entries => FeedSelection.FirstAsync(entries, key.Limit), CancellationToken.None);
        Assert.NotNull(page);
        Assert.False(page.Selection.HasNext);
        return page.Selection.Items;
    }

    /// <summary>The pages from the first, each read below the last item of the one before, until one has no next.</summary>
    private static async Task<List<IReadOnlyList<FeedItem>>> WalkAsync(FeedPageReader reader, FeedKey first)
    {
        var pages = new List<IReadOnlyList<FeedItem>>();
        for (var key = first; ;)
        {
            var page = await reader.ReadAsync(key, Now, entries => FeedSelection.FirstAsync(entries, key.Limit), CancellationToken.None);
            Assert.NotNull(page);
            Assert.InRange(page.Selection.Items.Count, 1, key.Limit);
            pages.Add(page.Selection.Items);
            if (!page.Selection.HasNext) return pages;
            Assert.True(pages.Count < 1000, "the walk does not end");
            key = key with { Before = page.Selection.Items[^1].Position };
        }
    }
}
