using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;

namespace NewsFeed.Tests.Feeds;

/// <summary>What the feeds say: pinned by golden files, valid in every variant, the same in any culture.</summary>
[Collection(CultureSensitive.Name)]
public sealed class FeedOutputTests(NewsFeedApp app) : AppEndpointTests(app)
{
    // One feed of each kind, in every format, is pinned byte-for-byte in meaning by feeds/golden/.
    public static TheoryData<string> GoldenFeeds => new()
    {
        "latest.rss", "latest.atom", "latest.json",
        "sections/world.rss", "sections/world.atom", "sections/world.json",
        "authors/world-desk.rss", "authors/world-desk.atom", "authors/world-desk.json",
        "tags/local-government.rss", "tags/local-government.atom", "tags/local-government.json",
    };

    [Theory]
    [MemberData(nameof(GoldenFeeds))]
    public async Task Feed_SampleArticles_MatchesGoldenFile(string feed)
    {
        var body = await Client.GetByteArrayAsync("/feeds/" + feed);
        AssertMatchesGolden(feed, body);
    }

    [Fact]
    public async Task EveryFeedVariant_SampleArticles_IsValid()
    {
        var paths = await AllFeedPathsAsync();
        Assert.True(paths.Count >= 3 * 25, $"only {paths.Count} feed variants");
        foreach (var path in paths)
        {
            var body = await Client.GetByteArrayAsync(path);
            try
            {
                AssertValid(path, body);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"{path} is not valid: {exception.Message}", exception);
            }
        }
    }

    [Fact]
    public async Task RssAndAtom_ParsedBySyndicationFeed_CarryEveryItem()
    {
        var json = JsonNode.Parse(await Client.GetByteArrayAsync("/feeds/latest.json"))!;
        var ids = json["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        Assert.NotEmpty(ids);

        foreach (var format in new[] { "rss", "atom" })
        {
            await using var stream = await Client.GetStreamAsync($"/feeds/latest.{format}");
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            var feed = SyndicationFeed.Load(reader);
            Assert.Equal(ids, feed.Items.Select(i => i.Id));
            Assert.All(feed.Items, item => Assert.True(item.PublishDate.Year == 2026, $"{format} pubDate parsed: {item.PublishDate}"));
        }
    }

    [Fact]
    public async Task ArticleWithXmlBreakingText_IsInEveryFormat_Cleanly()
    {
        var rss = FeedAssert.WellFormedXml(await Client.GetByteArrayAsync("/feeds/sections/technology.rss"));
        var item = rss.Descendants("item").Single(i => ((string)i.Element("title")!).Contains('&', StringComparison.Ordinal));
        Assert.Contains("<", (string)item.Element("title")!, StringComparison.Ordinal);
        Assert.Contains("]]>", WebUtilityDecode((string)item.Element("description")!), StringComparison.Ordinal);
        Assert.Contains("]]&gt;", (string)item.Element(FeedAssert.Content + "encoded")!, StringComparison.Ordinal);

        var json = JsonNode.Parse(await Client.GetByteArrayAsync("/feeds/sections/technology.json"))!;
        var jsonItem = json["items"]!.AsArray().Single(i => ((string)i!["title"]!).Contains('&', StringComparison.Ordinal))!;
        Assert.DoesNotContain('\u0001', (string)jsonItem["summary"]!);
        Assert.Contains("]]>", (string)jsonItem["summary"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feeds_UnderGermanCulture_AreIdenticalToGolden()
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture);
        var german = CultureInfo.GetCultureInfo("de-DE");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = german;
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = german;
        try
        {
            // A fresh app, so nothing rendered under the invariant culture is served from cache.
            using var app = new NewsFeedApp();
            using var client = app.CreateClient();
            foreach (var feed in new[] { "latest.rss", "latest.atom", "latest.json" })
            {
                var body = await client.GetByteArrayAsync("/feeds/" + feed);
                AssertMatchesGolden(feed, body);
                AssertValid(feed, body);
            }
            var rss = FeedAssert.WellFormedXml(await client.GetByteArrayAsync("/feeds/latest.rss"));
            Assert.All(rss.Descendants("pubDate"), d => Assert.Matches(FeedAssert.Rfc822(), d.Value));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture) = previous;
        }
    }

    [Fact]
    public async Task Feeds_DraftAndEmbargoedArticles_AreAbsent()
    {
        var store = App.Services.GetRequiredService<IArticleStore>();
        var hidden = Directory.GetFiles(RepoPaths.Articles, "*.json")
            .Select(file => JsonNode.Parse(File.ReadAllText(file))!)
            .Where(article => (string?)article["status"] == "draft" || article["embargoUntil"] is not null)
            .ToList();
        Assert.Equal(2, hidden.Count);

        var latest = await Client.GetStringAsync("/feeds/latest.json?limit=100");
        foreach (var article in hidden)
        {
            var id = (string)article["id"]!;
            Assert.DoesNotContain(id, latest, StringComparison.Ordinal);
            Assert.NotNull(await store.GetAsync(Guid.Parse(id), CancellationToken.None));
        }
    }

    internal static void AssertMatchesGolden(string feed, byte[] body)
    {
        var golden = Path.Combine(RepoPaths.Golden, feed.Replace('/', '-'));
        if (Environment.GetEnvironmentVariable("NEWSFEED_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(RepoPaths.Golden);
            File.WriteAllBytes(golden, body);
        }
        Assert.True(File.Exists(golden), $"missing golden file {golden}: run the tests once with NEWSFEED_UPDATE_GOLDEN=1 and review the diff");
        var expected = File.ReadAllBytes(golden);
        if (feed.EndsWith(".json", StringComparison.Ordinal))
        {
            FeedAssert.SameJson(JsonNode.Parse(expected)!, JsonNode.Parse(body)!);
        }
        else
        {
            FeedAssert.SameXml(XDocument.Load(new MemoryStream(expected)), FeedAssert.WellFormedXml(body));
        }
    }

    private static void AssertValid(string path, byte[] body)
    {
        var extension = Path.GetExtension(path.Split('?')[0]);
        switch (extension)
        {
            case ".rss": FeedAssert.ValidRss(body); break;
            case ".atom": FeedAssert.ValidAtom(body); break;
            default: FeedAssert.ValidJsonFeed(body); break;
        }
    }

    private async Task<List<string>> AllFeedPathsAsync()
    {
        var store = App.Services.GetRequiredService<IArticleStore>();
        var terms = await store.ListTermsAsync(NewsFeedApp.Now, CancellationToken.None);
        var bases = new List<string> { "/feeds/latest", "/feeds/latest?limit=3&page=2" };
        bases.AddRange(terms.Select(t => $"/feeds/{t.Kind.ToString().ToLowerInvariant()}s/{t.Slug}"));
        return bases.SelectMany(b => new[] { "rss", "atom", "json" }.Select(f => b.Contains('?', StringComparison.Ordinal)
            ? b.Replace("?", "." + f + "?", StringComparison.Ordinal)
            : b + "." + f)).ToList();
    }

    private static string WebUtilityDecode(string html) => System.Net.WebUtility.HtmlDecode(html);
}

/// <summary>Tests that change the process culture run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CultureSensitive
{
    public const string Name = "culture-sensitive";
}
