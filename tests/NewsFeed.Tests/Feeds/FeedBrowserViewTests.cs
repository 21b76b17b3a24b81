using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Feeds;
using NewsFeed.Tests.Embed;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// The server-side run of /feed.xsl for browser navigations (Chromium no longer runs XSLT), and
/// proof that every other client still gets the feed's exact bytes.
/// </summary>
public sealed class FeedBrowserViewTests(NewsFeedApp app) : AppEndpointTests(app)
{
    private const string ChromeAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    [Theory]
    [InlineData("/feeds/latest.rss")]
    [InlineData("/feeds/sections/technology.atom")]
    public async Task Navigate_Feed_AnswersTheStylesheetsHtml(string path)
    {
        var feed = FeedAssert.WellFormedXml(await Client.GetByteArrayAsync(path));
        using var response = await Client.SendAsync(Navigation(path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html", html, StringComparison.Ordinal);
        var titles = feed.Descendants().Where(e => e.Name.LocalName is "item" or "entry")
            .Select(e => e.Elements().First(t => t.Name.LocalName == "title").Value);
        foreach (var title in titles)
        {
            Assert.Contains(System.Net.WebUtility.HtmlEncode(title).Replace("&#39;", "'", StringComparison.Ordinal).Replace("&quot;", "\"", StringComparison.Ordinal), html, StringComparison.Ordinal);
        }
        Assert.Contains("This is a web feed.", html, StringComparison.Ordinal);
        Assert.Contains("<code>http://localhost" + path + "</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Navigate_Feed_LinksTheFeedForAutodiscoveryAndEveryFeedPage()
    {
        using var response = await Client.SendAsync(Navigation("/feeds/authors/world-desk.atom"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"The Meridian Ledger: The Meridian World Desk\" href=\"http://localhost/feeds/authors/world-desk.atom\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://localhost/\">All feeds</a>", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Navigate_Feed_VariesOnTheDecidingHeadersAndKeepsTheHtmlOutOfSharedCaches()
    {
        using var response = await Client.SendAsync(Navigation("/feeds/latest.atom"));

        Assert.Equal(["Sec-Fetch-Dest", "Upgrade-Insecure-Requests", "Accept-Encoding"], response.Headers.Vary);
        Assert.Null(response.Content.Headers.LastModified);
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.False(response.Headers.CacheControl.Public);
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'sha256-", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "application/rss+xml, application/atom+xml;q=0.9, */*;q=0.1")]
    [InlineData(null, "*/*")]
    [InlineData(null, "text/html;q=0.5, application/xml")]
    [InlineData("empty", ChromeAccept)]
    [InlineData("iframe", ChromeAccept)]
    public async Task Get_NotANavigation_AnswersTheFeedBytesUnchanged(string? fetchDest, string? accept)
    {
        var plain = await Client.GetByteArrayAsync("/feeds/latest.rss");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        if (fetchDest is not null) request.Headers.Add("Sec-Fetch-Dest", fetchDest);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await Client.SendAsync(request);

        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(plain, await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Sec-Fetch-Dest", response.Headers.Vary);
        Assert.True(response.Headers.CacheControl!.Public);
    }

    [Fact]
    public async Task Navigate_WithoutFetchMetadata_UsesUpgradeInsecureRequests()
    {
        // Browsers send Sec-Fetch-* only to potentially trustworthy origins; on plain http, a navigation
        // is recognised by Upgrade-Insecure-Requests.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        request.Headers.TryAddWithoutValidation("Accept", ChromeAccept);
        request.Headers.TryAddWithoutValidation("Upgrade-Insecure-Requests", "1");
        // A reader that copies a browser's Accept header, without the navigation header, keeps its feed.
        using var reader = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        reader.Headers.TryAddWithoutValidation("Accept", ChromeAccept);

        using var response = await Client.SendAsync(request);
        using var feed = await Client.SendAsync(reader);

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("application/rss+xml", feed.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Navigate_JsonFeed_StaysJsonWithoutVary()
    {
        using var response = await Client.SendAsync(Navigation("/feeds/latest.json"));

        Assert.Equal("application/feed+json", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("Sec-Fetch-Dest", response.Headers.Vary);
    }

    [Fact]
    public async Task Navigate_Errors_StayProblemDocuments()
    {
        using var response = await Client.SendAsync(Navigation("/feeds/latest.rss?limit=0"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Navigate_Twice_SendsTheSameRenderAnd304ByItsOwnETag()
    {
        using var feed = await Client.GetAsync("/feeds/sections/world.rss");
        using var first = await Client.SendAsync(Navigation("/feeds/sections/world.rss"));
        using var second = await Client.SendAsync(Navigation("/feeds/sections/world.rss"));
        var revalidate = Navigation("/feeds/sections/world.rss");
        revalidate.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await Client.SendAsync(revalidate);

        Assert.NotEqual(feed.Headers.ETag, first.Headers.ETag);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        // The page depends on feed.xsl too, so only its ETag validates it.
        Assert.NotNull(feed.Content.Headers.LastModified);
        Assert.Null(first.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Navigate_PagedFeed_OffersTheFeedItselfToSubscribe()
    {
        using var response = await Client.SendAsync(Navigation("/feeds/latest.atom?limit=5&page=2"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<code>http://localhost/feeds/latest.atom</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("before=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Navigate_AfterAPublish_RendersTheNewFeedWithTheTitleAsText()
    {
        using var app = new NewsFeedApp();
        var client = app.CreateClient();
        using var before = await client.SendAsync(Navigation("/feeds/sections/world.atom"));

        await HostileArticle.PublishAsync(app);
        using var after = await client.SendAsync(Navigation("/feeds/sections/world.atom"));

        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        var html = await after.Content.ReadAsStringAsync();
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Navigate_AfterAPublish_TheViewOfTheReplacedFeedLeavesTheCache()
    {
        using var app = new NewsFeedApp();
        var client = app.CreateClient();
        var cache = app.Services.GetRequiredService<FeedCache>();
        using var before = await client.SendAsync(Navigation("/feeds/sections/world.atom"));
        Assert.Single(Views(cache));

        await HostileArticle.PublishAsync(app);
        using var after = await client.SendAsync(Navigation("/feeds/sections/world.atom"));

        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        // The old view is reachable by no request now: only the new one is held.
        await Eventually.WaitUntilAsync(() => Views(cache).Count == 1, TimeSpan.FromSeconds(10), () => $"{Views(cache).Count} views held");
        Assert.Equal(after.Headers.ETag!.Tag, Views(cache).Single().Identity.ETag);
    }

    private static List<CachedResponse> Views(FeedCache cache) =>
        [.. cache.Held().Where(response => response.ContentType.StartsWith("text/html", StringComparison.Ordinal))];

    [Theory]
    [InlineData("/feeds/tags/style-tag.rss")]
    [InlineData("/feeds/tags/style-tag.atom")]
    [InlineData("/feeds/latest.rss")]
    public async Task Navigate_Feed_CspHashesTheStylesheetsOwnStyleWhateverTheFeedSays(string path)
    {
        using var app = new NewsFeedApp();
        await NewsFeed.Tests.Browser.BidiArticles.PublishAsync(app);
        var xsl = System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.Root, "src/NewsFeed/wwwroot/feed.xsl"));
        var style = xsl.Descendants("style").Single().Value;

        using var response = await app.CreateClient().SendAsync(Navigation(path));
        var html = await response.Content.ReadAsStringAsync();

        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(style)));
        Assert.Contains($"style-src 'sha256-{hash}';", string.Join(",", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("<style>" + style + "</style>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("document", null, null, true)]
    [InlineData("DOCUMENT", null, null, true)]
    [InlineData("empty", "text/html", "1", false)]
    [InlineData("iframe", ChromeAccept, "1", false)]
    [InlineData(null, ChromeAccept, "1", true)]
    [InlineData(null, null, "1", true)]
    [InlineData(null, ChromeAccept, null, false)]
    [InlineData(null, ChromeAccept, "0", false)]
    [InlineData(null, "application/rss+xml", null, false)]
    public void IsBrowserNavigation_DecidesByFetchMetadataThenNavigationHeaders(string? fetchDest, string? accept, string? upgrade, bool expected)
    {
        var context = new DefaultHttpContext();
        if (fetchDest is not null) context.Request.Headers["Sec-Fetch-Dest"] = fetchDest;
        if (accept is not null) context.Request.Headers.Accept = accept;
        if (upgrade is not null) context.Request.Headers["Upgrade-Insecure-Requests"] = upgrade;

        Assert.Equal(expected, FeedBrowserView.IsBrowserNavigation(context.Request));
    }

    /// <summary>What Chromium sends when the address bar or a link opens the feed.</summary>
    private static HttpRequestMessage Navigation(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", ChromeAccept);
        request.Headers.Add("Sec-Fetch-Dest", "document");
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        return request;
    }
}
