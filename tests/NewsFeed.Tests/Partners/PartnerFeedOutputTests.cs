using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using NewsFeed.Tests.Feeds;

namespace NewsFeed.Tests.Partners;

/// <summary>The app with two partners' items stored from the recorded fixtures, as a poll would store them (no network).</summary>
public sealed class PartnerFeedsApp : IAsyncLifetime
{
    public NewsFeedApp App { get; } = new() { Settings = new() { ["Partners:PollingEnabled"] = "false" } };

    internal static readonly (Partner Partner, string Fixture, string SiteUrl)[] Partners =
    [
        (new Partner { Id = "harbor-gazette", Name = "The Harbor Gazette", Url = "https://harbor-gazette.example/feeds/news.rss", Section = "world", Attribution = "Courtesy of The Harbor Gazette" },
            "harbor-gazette.rss", "https://harbor-gazette.example/"),
        (new Partner { Id = "valley-chronicle", Name = "Valley Chronicle", Url = "https://valley-chronicle.example/atom.xml", Section = "technology" },
            "valley-chronicle.atom", "https://valley-chronicle.example/"),
    ];

    /// <summary>The parser's recorded partner documents (feeds/partners/), byte for byte, as partners serve them.</summary>
    internal static readonly (Partner Partner, string File, string ContentType)[] Recorded =
    [
        (new Partner { Id = "harbour-gazette", Name = "Harbour Gazette", Url = "https://harbourgazette.example.com/feed/" }, "harbour-gazette.rss", "application/rss+xml; charset=UTF-8"),
        (new Partner { Id = "valley-courier", Name = "Valley Courier", Url = "https://valleycourier.example.net/atom.xml", Section = "technology" }, "valley-courier.atom", "application/atom+xml"),
        (new Partner { Id = "northern-wire", Name = "Northern Wire", Url = "http://www.northernwire.example.com/rss.rdf" }, "northern-wire.rdf", "application/rdf+xml"),
        (new Partner { Id = "old-town-radio", Name = "Old Town Radio", Url = "http://oldtownradio.example.com/news.rss" }, "old-town-radio.rss", "text/xml"),
        (new Partner { Id = "metro-daily", Name = "Metro Daily", Url = "https://metrodaily.example.org/feed.json", Attribution = "Metro Daily, used with permission" }, "metro-daily.json", "application/feed+json"),
    ];

    public static byte[] RecordedBytes(string file) => File.ReadAllBytes(RepoPaths.PartnerDocument(file));

    public async Task InitializeAsync()
    {
        var store = App.Services.GetRequiredService<IPartnerStore>();
        foreach (var (partner, fixture, _) in Partners)
        {
            await StoreFixtureAsync(store, partner, fixture, NewsFeedApp.Now);
        }
        foreach (var (partner, file, contentType) in Recorded)
        {
            await StoreDocumentAsync(store, partner, RecordedBytes(file), contentType, NewsFeedApp.Now);
        }
    }

    /// <summary>Parses a fixture and stores its items for the partner, as of <paramref name="at"/>.</summary>
    internal static Task StoreFixtureAsync(IPartnerStore store, Partner partner, string fixture, DateTimeOffset at) =>
        StoreDocumentAsync(store, partner, PartnerHarness.Utf8(PartnerHarness.Fixture(fixture)), null, at);

    /// <summary>Parses a partner document and stores its items as a poll at <paramref name="at"/> would.</summary>
    internal static async Task StoreDocumentAsync(IPartnerStore store, Partner partner, byte[] document, string? contentType, DateTimeOffset at)
    {
        await store.AddAsync(partner with { Enabled = false }, at, CancellationToken.None);
        var feed = PartnerFeedParser.Parse(document, contentType, new Uri(partner.Url), new PartnerParserLimits(), new FakeTimeProvider(at));
        var items = feed.Items.Select(item => new StoredPartnerItem
        {
            Item = item,
            PartnerId = partner.Id,
            PartnerName = partner.Name,
            Attribution = partner.Attribution,
            SiteUrl = feed.Link,
            FeedUrl = partner.Url,
            Section = partner.Section,
            FirstSeen = at,
            FetchedAt = at,
        }).ToList();
        await store.SaveItemsAsync(partner.Id, items, 50, TimeSpan.FromDays(30), at, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>/feeds/partners.* and /feeds/partners/{id}.*: valid, attributed, pinned by golden files.</summary>
public sealed class PartnerFeedOutputTests(PartnerFeedsApp fixture) : IClassFixture<PartnerFeedsApp>
{
    private readonly HttpClient _client = fixture.App.CreateClient();

    private static IEnumerable<Partner> AllPartners => PartnerFeedsApp.Partners.Select(p => p.Partner).Concat(PartnerFeedsApp.Recorded.Select(p => p.Partner));

    public static TheoryData<string> GoldenFeeds => new()
    {
        "partners.rss", "partners.atom", "partners.json",
        "partners/harbor-gazette.rss", "partners/valley-chronicle.atom",
        "partners/harbour-gazette.rss", "partners/valley-courier.atom", "partners/northern-wire.json",
        "partners/old-town-radio.rss", "partners/metro-daily.json",
    };

    [Theory]
    [MemberData(nameof(GoldenFeeds))]
    public async Task PartnerFeed_RecordedFixtures_MatchesGoldenFileAndIsValid(string feed)
    {
        var body = await _client.GetByteArrayAsync("/feeds/" + feed);

        FeedOutputTests.AssertMatchesGolden(feed, body);
        switch (Path.GetExtension(feed))
        {
            case ".rss": FeedAssert.ValidRss(body); break;
            case ".atom": FeedAssert.ValidAtom(body); break;
            default: FeedAssert.ValidJsonFeed(body); break;
        }
    }

    [Fact]
    public async Task PartnersRss_EveryItem_HasSourceWithFeedUrlAndPartnerName()
    {
        var rss = FeedAssert.WellFormedXml(await _client.GetByteArrayAsync("/feeds/partners.rss?limit=100"));
        var items = rss.Descendants("item").ToList();
        var stored = await fixture.App.Services.GetRequiredService<IPartnerStore>().GetNewestAsync(null, null, 100, CancellationToken.None);

        Assert.Equal(stored.Count, items.Count);
        Assert.True(items.Count > 10);
        foreach (var item in items)
        {
            var source = item.Element("source")!;
            var partner = AllPartners.Single(p => p.Url == (string?)source.Attribute("url"));
            Assert.Equal(partner.Name, source.Value);
            Assert.StartsWith("urn:uuid:", (string)item.Element("guid")!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PartnersAtom_EveryEntry_HasSourceWithTitleIdLinkAndPartnerAuthor()
    {
        var atom = FeedAssert.WellFormedXml(await _client.GetByteArrayAsync("/feeds/partners.atom?limit=100"));
        var a = FeedAssert.Atom;
        foreach (var entry in atom.Root!.Elements(a + "entry"))
        {
            var source = entry.Element(a + "source")!;
            var partner = AllPartners.Single(p => p.Url == (string?)source.Element(a + "id"));
            Assert.Equal(partner.Name, (string?)source.Element(a + "title"));
            Assert.Equal(partner.Url, (string?)source.Elements(a + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href"));
            Assert.Equal(partner.Name, (string?)source.Element(a + "author")!.Element(a + "name"));
        }
        var harbor = atom.Root.Elements(a + "entry").First(e => (string?)e.Element(a + "source")!.Element(a + "title") == "The Harbor Gazette");
        Assert.Equal("Courtesy of The Harbor Gazette", (string?)harbor.Element(a + "source")!.Element(a + "rights"));
    }

    [Fact]
    public async Task PartnersJson_EveryItem_CreditsPartnerAsAuthorWithSite()
    {
        var json = FeedAssert.ValidJsonFeed(await _client.GetByteArrayAsync("/feeds/partners.json?limit=100"));
        foreach (var item in json["items"]!.AsArray())
        {
            var source = item!["_source"]!;
            var partner = AllPartners.Single(p => p.Id == (string?)source["id"]);
            Assert.Contains(item["authors"]!.AsArray(), author => (string?)author!["name"] == partner.Name && (string?)author["url"] == (string?)source["home_page_url"]);
            Assert.Equal(partner.Url, (string?)source["feed_url"]);
        }
        var harbor = json["items"]!.AsArray().First(i => (string?)i!["_source"]!["id"] == "harbor-gazette")!;
        Assert.Equal("https://harbor-gazette.example/", (string?)harbor["_source"]!["home_page_url"]);
    }

    [Fact]
    public async Task PartnerFeed_RelativeLinkInContent_IsAbsolute()
    {
        var rss = FeedAssert.WellFormedXml(await _client.GetByteArrayAsync("/feeds/partners/harbor-gazette.rss"));
        var ferry = rss.Descendants("item").First();
        Assert.Contains("https://harbor-gazette.example/2026/11/02/storm-damage", (string)ferry.Element(FeedAssert.Content + "encoded")!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/feeds/partners/no-such-partner.rss")]
    [InlineData("/feeds/partners/harbor-gazette.xml")]
    [InlineData("/feeds/partners.txt")]
    [InlineData("/feeds/partners/Not_A_Slug.rss")]
    public async Task PartnerFeed_UnknownPartnerOrFormat_404(string path)
    {
        using var response = await _client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PartnerFeed_IsConditional()
    {
        using var first = await _client.GetAsync("/feeds/partners.atom");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/partners.atom");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await _client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task SectionFeed_PartnersNotIncludedByDefault()
    {
        var world = await _client.GetStringAsync("/feeds/sections/world.rss");
        Assert.DoesNotContain("Harbor Gazette", world, StringComparison.Ordinal);
    }
}

/// <summary>The feed cache stays exact: partner writes move partner feeds only; sections that include partner items move on either.</summary>
public sealed class PartnerFeedCacheTests
{
    [Fact]
    public async Task PartnerWrite_MovesPartnerFeedsOnly_ArticleWrite_LeavesPartnerFeeds()
    {
        using var app = new NewsFeedApp { Settings = new() { ["Partners:PollingEnabled"] = "false" } };
        using var client = app.CreateClient();
        var partners = app.Services.GetRequiredService<IPartnerStore>();
        var (harbor, harborFixture, _) = PartnerFeedsApp.Partners[0];
        var before = await ETagsAsync(client, "partners.rss", "partners/harbor-gazette.rss", "latest.rss", "sections/world.rss");

        await PartnerFeedsApp.StoreFixtureAsync(partners, harbor, harborFixture, NewsFeedApp.Now);
        var afterPartner = await ETagsAsync(client, "partners.rss", "partners/harbor-gazette.rss", "latest.rss", "sections/world.rss");

        Assert.NotEqual(before["partners.rss"], afterPartner["partners.rss"]);
        Assert.NotEqual(before["partners/harbor-gazette.rss"], afterPartner["partners/harbor-gazette.rss"]);
        Assert.Equal(before["latest.rss"], afterPartner["latest.rss"]);
        Assert.Equal(before["sections/world.rss"], afterPartner["sections/world.rss"]);

        await CorrectAnArticleAsync(app);
        var afterArticle = await ETagsAsync(client, "partners.rss", "partners/harbor-gazette.rss", "latest.rss");
        Assert.Equal(afterPartner["partners.rss"], afterArticle["partners.rss"]);
        Assert.Equal(afterPartner["partners/harbor-gazette.rss"], afterArticle["partners/harbor-gazette.rss"]);
        Assert.NotEqual(afterPartner["latest.rss"], afterArticle["latest.rss"]);
    }

    [Fact]
    public async Task IncludeInSections_SectionFeedShowsPartnerItemsAndMovesOnEitherWrite()
    {
        using var app = new NewsFeedApp { Settings = new() { ["Partners:PollingEnabled"] = "false", ["Partners:IncludeInSections"] = "true" } };
        using var client = app.CreateClient();
        var partners = app.Services.GetRequiredService<IPartnerStore>();
        var before = (await ETagsAsync(client, "sections/world.rss"))["sections/world.rss"];

        var (harbor, harborFixture, _) = PartnerFeedsApp.Partners[0];
        await PartnerFeedsApp.StoreFixtureAsync(partners, harbor, harborFixture, NewsFeedApp.Now);
        var afterPartner = (await ETagsAsync(client, "sections/world.rss"))["sections/world.rss"];
        var world = await client.GetByteArrayAsync("/feeds/sections/world.rss");

        Assert.NotEqual(before, afterPartner);
        FeedAssert.ValidRss(world);
        var doc = FeedAssert.WellFormedXml(world);
        Assert.Contains(doc.Descendants("item"), item => (string?)item.Element("source") == "The Harbor Gazette");
        Assert.Contains(doc.Descendants("item"), item => item.Element("source") is null);
        FeedAssert.ValidAtom(await client.GetByteArrayAsync("/feeds/sections/world.atom"));
        FeedAssert.ValidJsonFeed(await client.GetByteArrayAsync("/feeds/sections/world.json"));

        await CorrectAnArticleAsync(app, section: "world");
        Assert.NotEqual(afterPartner, (await ETagsAsync(client, "sections/world.rss"))["sections/world.rss"]);
    }

    private static async Task CorrectAnArticleAsync(NewsFeedApp app, string? section = null)
    {
        var store = app.Services.GetRequiredService<IArticleStore>();
        var article = (await store.GetNewestAsync(section is null ? null : new TermRef(TermKind.Section, section), NewsFeedApp.Now, 1, CancellationToken.None))[0];
        await store.UpsertAsync(article with { Title = article.Title + " (corrected)", Updated = article.Updated.AddMinutes(1) }, CancellationToken.None);
    }

    private static async Task<Dictionary<string, string>> ETagsAsync(HttpClient client, params string[] feeds)
    {
        var tags = new Dictionary<string, string>();
        foreach (var feed in feeds)
        {
            using var response = await client.GetAsync("/feeds/" + feed);
            response.EnsureSuccessStatusCode();
            tags[feed] = response.Headers.ETag!.Tag;
        }
        return tags;
    }
}
