using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;
using NewsFeed.Tests.Storage;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// <c>Feeds:MaxFeedBytes</c>: a page of long articles stays within it in every format, its newest items keeping
/// their full content and its oldest giving it up first, then leaving for the next page, and walking <c>next</c>
/// still visits every item once; a single item larger than the budget is still sent, as its summary. On both engines.
/// </summary>
public sealed class FeedBudgetTests
{
    private const int Budget = 65_536;
    private const int Stories = 40;

    [Theory, OnSqlite, OnPostgres]
    public async Task LongArticles_EveryFormat_StayWithinTheBudgetNewestInFullAndWalkEveryItemOnce(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        using var app = App(db);
        var store = app.Services.GetRequiredService<IArticleStore>();
        var ids = new List<string>();
        for (var i = 0; i < Stories; i++)
        {
            // Ten stories at each time: ties in the walk too. Each body is about 12 KB.
            var article = Long($"long-{i}", NewsFeedApp.Now.AddDays(-1).AddMinutes(-(i / 10)), 12_000);
            await store.UpsertAsync(article, CancellationToken.None);
            ids.Add("urn:uuid:" + article.Id);
        }
        using var client = app.CreateClient();
        // Newest first: the ten stories of each time by the order they were stored, latest stored first.
        var expected = ids.Chunk(10).SelectMany(chunk => chunk.Reverse()).ToList();

        foreach (var format in new[] { "rss", "atom", "json" })
        {
            var walked = new List<string>();
            var summaries = 0;
            var pages = 0;
            for (string? url = $"/feeds/tags/longreads.{format}?limit=30"; url is not null; pages++)
            {
                var body = await client.GetByteArrayAsync(url);
                Assert.True(body.Length <= Budget, $"{url}: {body.Length} bytes");
                var (items, full, next) = Read(format, body);
                Assert.NotEmpty(items);
                // The newest items keep their full content; from the first that gave it up, every older one has.
                Assert.Equal(full.OrderByDescending(f => f), full);
                Assert.True(full[0], $"{url}: the newest item keeps its full content");
                summaries += full.Count(f => !f);
                walked.AddRange(items);
                url = next;
            }
            Assert.True(pages >= 2, $"{format}: {pages} pages");
            Assert.True(summaries > 0, $"{format}: every item kept its full content");
            Assert.Equal(expected, walked);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SingleItemLargerThanTheBudget_IsSentAsItsSummary(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        using var app = App(db);
        var store = app.Services.GetRequiredService<IArticleStore>();
        // Written past the publishing API's limits, as an import could: even its summary is over the budget.
        var huge = Long("huge", NewsFeedApp.Now.AddHours(-1), 200_000) with { Summary = new string('s', Budget * 2) };
        await store.UpsertAsync(huge, CancellationToken.None);
        await store.UpsertAsync(Long("small", NewsFeedApp.Now.AddHours(-2), 100), CancellationToken.None);
        using var client = app.CreateClient();

        foreach (var format in new[] { "rss", "atom", "json" })
        {
            var body = await client.GetByteArrayAsync($"/feeds/tags/longreads.{format}");
            var (items, full, next) = Read(format, body);

            Assert.Equal(["urn:uuid:" + huge.Id], items);
            Assert.Equal([false], full);
            Assert.NotNull(next);
            Assert.InRange(body.Length, Budget, Budget * 3);
            var rest = Read(format, await client.GetByteArrayAsync(next));
            Assert.Single(rest.Items);
            Assert.Null(rest.Next);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task StoriesLongerThanAWholeDocument_KeepTheirWholeBodyWhereTheyFit(StoreEngine engine)
    {
        // Each body is over ArticleStoreReads.WholeDocumentChars: the store leaves it unread, and the budget reads
        // only those of the newest stories that fit (three of 150,000 characters in 500,000 bytes).
        const int bigBudget = 500_000;
        await using var db = await TestStore.CreateAsync(engine);
        using var app = App(db, bigBudget);
        var store = app.Services.GetRequiredService<IArticleStore>();
        var stories = Enumerable.Range(0, 6).Select(i => Long($"epic-{i}", NewsFeedApp.Now.AddHours(-1 - i), 150_000)).ToList();
        foreach (var story in stories) await store.UpsertAsync(story, CancellationToken.None);
        using var client = app.CreateClient();

        foreach (var format in new[] { "rss", "atom", "json" })
        {
            var body = await client.GetByteArrayAsync($"/feeds/tags/longreads.{format}");
            var (items, full, next) = Read(format, body);

            Assert.InRange(body.Length, 450_000, bigBudget);
            Assert.Equal(stories.Select(s => "urn:uuid:" + s.Id), items);
            Assert.Equal([true, true, true, false, false, false], full);
            Assert.Null(next);
            // The full items carry the stored body, whole (every story has the same 150,000 characters of plain text).
            var text = System.Text.Encoding.UTF8.GetString(body);
            var story = stories[0].Body[3..^4];
            var copies = 0;
            for (var at = text.IndexOf(story, StringComparison.Ordinal); at >= 0; at = text.IndexOf(story, at + story.Length, StringComparison.Ordinal)) copies++;
            Assert.Equal(3, copies);
        }
    }

    private static NewsFeedApp App(TestStore db, int budget = Budget)
    {
        var app = new NewsFeedApp { Settings = { ["Feeds:MaxFeedBytes"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        if (db.Engine == StoreEngine.Postgres)
        {
            app.Settings["Storage:Provider"] = "Postgres";
            app.Settings["ConnectionStrings:NewsFeed"] = db.ConnectionString;
        }
        return app;
    }

    private static Article Long(string slug, DateTimeOffset published, int bodyLength) => Article(slug, published) with
    {
        Tags = [new Term("longreads", "Long reads")],
        Summary = "A summary of " + slug,
        Body = "<p>" + string.Concat(Enumerable.Repeat("All work and no play makes a long story. ", bodyLength / 41 + 1))[..bodyLength] + "</p>",
    };

    /// <summary>The item ids, whether each carries its full content, and the next link.</summary>
    private static (List<string> Items, List<bool> Full, string? Next) Read(string format, byte[] body)
    {
        switch (format)
        {
            case "rss":
            {
                FeedAssert.ValidRss(body);
                var channel = XDocument.Load(new MemoryStream(body)).Root!.Element("channel")!;
                var items = channel.Elements("item").ToList();
                return (items.Select(i => (string)i.Element("guid")!).ToList(), items.Select(i => i.Element(FeedAssert.Content + "encoded") is not null).ToList(),
                    (string?)channel.Elements(FeedAssert.Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == "next")?.Attribute("href"));
            }
            case "atom":
            {
                FeedAssert.ValidAtom(body);
                var feed = XDocument.Load(new MemoryStream(body)).Root!;
                var entries = feed.Elements(FeedAssert.Atom + "entry").ToList();
                return (entries.Select(e => (string)e.Element(FeedAssert.Atom + "id")!).ToList(), entries.Select(e => e.Element(FeedAssert.Atom + "content") is not null).ToList(),
                    (string?)feed.Elements(FeedAssert.Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == "next")?.Attribute("href"));
            }
            default:
            {
                var feed = FeedAssert.ValidJsonFeed(body);
                var items = feed["items"]!.AsArray();
                return (items.Select(i => (string)i!["id"]!).ToList(), items.Select(i => i!["content_html"] is not null).ToList(), (string?)feed["next_url"]);
            }
        }
    }
}
