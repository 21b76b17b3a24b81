using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;
using NewsFeed.Feeds;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// RFC 5005 §4 archives: every article feed leads, through <c>prev-archive</c>, to one immutable document per month
/// that together hold the feed's whole history, in every format, each passing the validator's rules.
/// </summary>
[Collection(CultureSensitive.Name)]
public sealed class FeedArchiveTests(NewsFeedApp app) : AppEndpointTests(app)
{
    private const string Base = "http://localhost";

    public static TheoryData<string> ArchiveGoldens => new()
    {
        "latest/archive/2026-10.rss", "latest/archive/2026-10.atom", "latest/archive/2026-10.json",
    };

    public static TheoryData<string, string> FeedsAndFormats
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var feed in new[] { "latest", "sections/world", "tags/local-government", "authors/world-desk" })
            {
                foreach (var format in new[] { "rss", "atom", "json" }) data.Add(feed, format);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ArchiveGoldens))]
    public async Task Archive_SampleArticles_MatchesGoldenFile(string archive)
    {
        var body = await Client.GetByteArrayAsync("/feeds/" + archive);
        FeedOutputTests.AssertMatchesGolden(archive, body);
    }

    [Theory]
    [MemberData(nameof(FeedsAndFormats))]
    public async Task Archives_FollowedFromTheFeed_HoldEveryVisibleArticleOnce(string feed, string format)
    {
        // Every visible article of the feed (the samples are fewer than one page of 100).
        var expected = await VisibleIdsAsync(feed);
        Assert.NotEmpty(expected);

        var seen = new List<string>();
        var url = Link(await FetchAsync($"/feeds/{feed}.{format}", format, archive: false), format, "prev-archive");
        FeedMonth? newer = null;
        var documents = 0;
        while (url is not null)
        {
            var document = await FetchAsync(url, format, archive: true);
            documents++;
            var month = MonthOf(url);
            Assert.True(newer is null || month.CompareTo(newer.Value) < 0, $"{url} is not older than the archive that linked to it");
            Assert.Equal($"{Base}/feeds/{feed}.{format}", Link(document, format, "current"));
            var published = Published(document, format);
            Assert.NotEmpty(published);
            Assert.All(published, at => Assert.Equal(month, FeedMonth.Of(at)));
            Assert.Equal(published.OrderByDescending(at => at), published);
            if (newer is { } newerMonth)
            {
                Assert.Equal($"{Base}/feeds/{feed}/archive/{newerMonth}.{format}", Link(document, format, "next-archive"));
            }
            seen.AddRange(Ids(document, format));
            newer = month;
            url = Link(document, format, "prev-archive");
        }
        Assert.True(documents >= 1);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(expected.Order(), seen.Order());
    }

    [Fact]
    public async Task ClosedMonth_IsImmutable_CurrentMonthIsNot()
    {
        using var closed = await Client.GetAsync("/feeds/latest/archive/2026-10.atom");
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Contains("immutable", closed.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(365), closed.Headers.CacheControl!.MaxAge);
        Assert.NotNull(closed.Headers.ETag);

        using var current = await Client.GetAsync("/feeds/latest/archive/2026-11.atom");
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.DoesNotContain("immutable", current.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(5), current.Headers.CacheControl!.MaxAge);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest/archive/2026-10.atom");
        request.Headers.IfNoneMatch.Add(closed.Headers.ETag!);
        using var notModified = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("/feeds/latest/archive/2026-09.rss")] // before the first story
    [InlineData("/feeds/latest/archive/2027-01.rss")] // in the future
    [InlineData("/feeds/latest/archive/2026-13.rss")]
    [InlineData("/feeds/latest/archive/2026-1.rss")]
    [InlineData("/feeds/latest/archive/26-10.rss")]
    [InlineData("/feeds/latest/archive/2026-10.xml")]
    [InlineData("/feeds/sections/no-such-section/archive/2026-10.rss")]
    [InlineData("/feeds/sections/culture/archive/2026-09.atom")] // a section with no story that month
    public async Task Archive_ThatDoesNotExist_Is404ProblemDocument(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Archive_WithAQuery_RedirectsToItsOneAddress()
    {
        using var client = App.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/feeds/latest/archive/2026-10.rss?limit=5");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/feeds/latest/archive/2026-10.rss", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Correction_OfAnArchivedArticle_ReRendersItsArchiveOnly()
    {
        using var app = new NewsFeedApp();
        var client = app.CreateClient();
        var october = await client.GetAsync("/feeds/latest/archive/2026-10.rss");
        var november = await client.GetAsync("/feeds/latest/archive/2026-11.rss");
        var store = app.Services.GetRequiredService<IArticleStore>();
        var archived = (await store.ListAsync(ArticleStatus.Published, 0, 100, CancellationToken.None))
            .First(a => FeedMonth.Of(a.Published) == new FeedMonth(2026, 10));

        await store.UpsertAsync(archived with { Title = "Corrected: " + archived.Title, Updated = NewsFeedApp.Now }, CancellationToken.None);

        var corrected = await client.GetAsync("/feeds/latest/archive/2026-10.rss");
        Assert.NotEqual(october.Headers.ETag, corrected.Headers.ETag);
        Assert.Contains("Corrected: ", await corrected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unchanged = await client.GetAsync("/feeds/latest/archive/2026-11.rss");
        Assert.Equal(november.Headers.ETag, unchanged.Headers.ETag);
    }

    [Fact]
    public async Task Retraction_OfAnArchivedArticle_LeavesItsArchive()
    {
        using var app = new NewsFeedApp();
        var client = app.CreateClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        var archived = (await store.ListAsync(ArticleStatus.Published, 0, 100, CancellationToken.None))
            .First(a => FeedMonth.Of(a.Published) == new FeedMonth(2026, 10));
        Assert.Contains(archived.Id.ToString(), await client.GetStringAsync("/feeds/latest/archive/2026-10.json"), StringComparison.Ordinal);

        await store.UpsertAsync(archived with { Status = ArticleStatus.Retracted, Updated = NewsFeedApp.Now }, CancellationToken.None);

        Assert.DoesNotContain(archived.Id.ToString(), await client.GetStringAsync("/feeds/latest/archive/2026-10.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbargoedArticle_OfAClosedMonth_KeepsItsArchiveOpenUntilItLifts()
    {
        using var app = new NewsFeedApp();
        var client = app.CreateClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        var story = (await store.ListAsync(ArticleStatus.Published, 0, 100, CancellationToken.None))[0];
        var lift = NewsFeedApp.Now.AddHours(2);
        // Published in October, held back until after now: it belongs to October's archive once it lifts.
        var embargoed = story with { Id = Guid.NewGuid(), Slug = "held-back", Url = "https://news.example.com/world/2026/10/30/held-back", Published = new DateTimeOffset(2026, 10, 30, 8, 0, 0, TimeSpan.Zero), EmbargoUntil = lift };
        await store.UpsertAsync(embargoed, CancellationToken.None);

        using var before = await client.GetAsync("/feeds/latest/archive/2026-10.json");
        Assert.DoesNotContain(embargoed.Id.ToString(), await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("immutable", before.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        app.Time.SetUtcNow(lift.AddSeconds(1));
        using var after = await client.GetAsync("/feeds/latest/archive/2026-10.json");
        Assert.Contains(embargoed.Id.ToString(), await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("immutable", after.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rss")]
    [InlineData("atom")]
    public async Task BrowserView_SaysTheHistoryIsThere_AndAnArchiveOffersItsFeed(string format)
    {
        var feed = await NavigateAsync($"/feeds/latest.{format}");
        Assert.Contains($"<a href=\"http://localhost/feeds/latest/archive/2026-11.{format}\">Older stories: the archive, a month at a time</a>", feed, StringComparison.Ordinal);

        var archive = await NavigateAsync($"/feeds/latest/archive/2026-11.{format}");
        Assert.Contains($"<code>http://localhost/feeds/latest.{format}</code>", archive, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"http://localhost/feeds/latest/archive/2026-10.{format}\">Older stories", archive, StringComparison.Ordinal);
        var october = await NavigateAsync($"/feeds/latest/archive/2026-10.{format}");
        Assert.Contains($"<a href=\"http://localhost/feeds/latest/archive/2026-11.{format}\">Newer stories</a>", october, StringComparison.Ordinal);
        Assert.DoesNotContain("Older stories", october, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePage_SaysTheHistoryIsThere()
    {
        var home = await Client.GetStringAsync("/");
        Assert.Contains("RFC 5005 archived feeds", home, StringComparison.Ordinal);
        Assert.Contains("http://localhost/feeds/latest/archive/", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerFeeds_HaveNoArchives()
    {
        var partners = await Client.GetByteArrayAsync("/feeds/partners.atom");
        Assert.DoesNotContain("prev-archive", System.Text.Encoding.UTF8.GetString(partners), StringComparison.Ordinal);
        using var response = await Client.GetAsync("/feeds/partners/archive/2026-11.atom");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> NavigateAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Sec-Fetch-Dest", "document");
        using var response = await Client.SendAsync(request);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HashSet<string>> VisibleIdsAsync(string feed)
    {
        var json = await Client.GetFromJsonAsync<JsonObject>($"/feeds/{feed}.json?limit=100");
        return json!["items"]!.AsArray().Select(i => (string)i!["id"]!).ToHashSet();
    }

    /// <summary>Fetches a document and checks it as the validator would, from the URL it was fetched from.</summary>
    private async Task<object> FetchAsync(string url, string format, bool archive)
    {
        var body = await Client.GetByteArrayAsync(url);
        var location = url.StartsWith(Base, StringComparison.Ordinal) ? url : Base + url;
        switch (format)
        {
            case "rss":
                FeedAssert.ValidRss(body);
                return FeedValidatorRules.Check(body, location, archive);
            case "atom":
                FeedAssert.ValidAtom(body);
                return FeedValidatorRules.Check(body, location, archive);
            default:
                var json = FeedAssert.ValidJsonFeed(body);
                Assert.Equal(location, (string?)json["feed_url"]);
                Assert.Equal(archive, (bool?)json["_archive"]?["archive"] ?? false);
                if (archive) Assert.Null(json["next_url"]);
                return json;
        }
    }

    private static string? Link(object document, string format, string rel)
    {
        if (document is JsonObject json)
        {
            return (string?)json["_archive"]?[rel.Replace('-', '_')];
        }
        var doc = (XDocument)document;
        var head = format == "atom" ? doc.Root! : doc.Root!.Element("channel")!;
        return (string?)head.Elements(FeedAssert.Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href");
    }

    private static List<DateTimeOffset> Published(object document, string format) => document switch
    {
        JsonObject json => json["items"]!.AsArray().Select(i => DateTimeOffset.Parse((string)i!["date_published"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
        XDocument doc when format == "atom" => doc.Root!.Elements(FeedAssert.Atom + "entry").Select(e => DateTimeOffset.Parse((string)e.Element(FeedAssert.Atom + "published")!, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
        XDocument doc => doc.Root!.Element("channel")!.Elements("item").Select(e => DateTimeOffset.Parse((string)e.Element("pubDate")!, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
        _ => throw new ArgumentException("unknown document"),
    };

    private static List<string> Ids(object document, string format) => document switch
    {
        JsonObject json => json["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList(),
        XDocument doc when format == "atom" => doc.Root!.Elements(FeedAssert.Atom + "entry").Select(e => (string)e.Element(FeedAssert.Atom + "id")!).ToList(),
        XDocument doc => doc.Root!.Element("channel")!.Elements("item").Select(e => (string)e.Element("guid")!).ToList(),
        _ => throw new ArgumentException("unknown document"),
    };

    private static FeedMonth MonthOf(string url)
    {
        var period = url[(url.LastIndexOf('/') + 1)..].Split('.')[0];
        Assert.True(FeedMonth.TryParse(period, out var month), $"not an archive URL: {url}");
        return month.Value;
    }
}
