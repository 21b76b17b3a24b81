using System.Net;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Xsl;

namespace NewsFeed.Tests.Feeds;

/// <summary>The browser view of a feed: the served XSL, run by an XSLT 1.0 processor over real feeds.</summary>
public sealed class FeedStylesheetTests(NewsFeedApp app) : AppEndpointTests(app)
{
    [Fact]
    public async Task Stylesheet_IsServedAsXml()
    {
        using var response = await Client.GetAsync("/feed.xsl");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("xml", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/feeds/latest.rss")]
    [InlineData("/feeds/latest.atom")]
    public async Task Transform_Feed_ShowsSubscribeBoxAndEveryTitleAsText(string path)
    {
        var feed = FeedAssert.WellFormedXml(await Client.GetByteArrayAsync(path));
        var page = await TransformAsync(feed);

        var titles = feed.Descendants().Where(e => e.Name.LocalName is "item" or "entry")
            .Select(e => e.Elements().First(t => t.Name.LocalName == "title").Value).ToList();
        Assert.NotEmpty(titles);
        var headings = page.Descendants("h2").Select(h => h.Value).ToList();
        Assert.Equal(titles, headings);
        Assert.Contains("http://localhost" + path, page.Descendants("code").Single().Value, StringComparison.Ordinal);
        // The title with "<null>" and "&" is text in the page, never markup.
        Assert.Contains(headings, h => h.Contains("<null>", StringComparison.Ordinal) && h.Contains('&', StringComparison.Ordinal));
        Assert.Empty(page.Descendants("null"));
        Assert.Empty(page.Descendants("script"));
    }

    [Fact]
    public async Task Transform_RssDescription_ShowsThePlainTextSummary()
    {
        var feed = FeedAssert.WellFormedXml(await Client.GetByteArrayAsync("/feeds/sections/technology.rss"));
        var page = await TransformAsync(feed);

        Assert.Contains(page.Descendants("p"), p => p.Value.Contains("]]>", StringComparison.Ordinal));
        Assert.DoesNotContain(page.Descendants("p"), p => p.Value.Contains("&lt;", StringComparison.Ordinal) || p.Value.Contains("&amp;", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("partners.rss")]
    [InlineData("partners.atom")]
    public async Task Transform_PartnerFeed_CreditsEachItemToItsSource(string golden)
    {
        var feed = XDocument.Load(Path.Combine(RepoPaths.Golden, golden));
        var page = await TransformAsync(feed);

        var items = page.Descendants("article").ToList();
        Assert.NotEmpty(items);
        Assert.All(items, item => Assert.Contains(" · from ", item.Value, StringComparison.Ordinal));
        Assert.Contains(items, item => item.Value.Contains("The Harbor Gazette", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transform_HostileLinks_StayText()
    {
        var feed = XDocument.Parse("""
            <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title><description>D</description>
            <item><title>Click</title><link>javascript:alert(1)</link><media:thumbnail url="data:image/svg+xml,x"/>
            <source url="javascript:alert(2)">Evil</source><description>x</description></item></channel></rss>
            """);
        var page = await TransformAsync(feed);

        Assert.DoesNotContain(page.Descendants("a"), a => !((string?)a.Attribute("href") ?? "").StartsWith("http", StringComparison.Ordinal));
        Assert.Empty(page.Descendants("img"));
        Assert.Contains("Click", page.Descendants("h2").Single().Value, StringComparison.Ordinal);
    }

    private async Task<XDocument> TransformAsync(XDocument feed)
    {
        var xslt = new XslCompiledTransform();
        using (var stylesheet = XmlReader.Create(await Client.GetStreamAsync("/feed.xsl"), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
        {
            xslt.Load(stylesheet, XsltSettings.Default, null);
        }
        var output = new XDocument();
        using (var writer = output.CreateWriter())
        {
            xslt.Transform(feed.CreateReader(), writer);
        }
        return output;
    }
}
