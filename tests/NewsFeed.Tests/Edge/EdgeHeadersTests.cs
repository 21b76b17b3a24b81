using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using NewsFeed.Tests.Publishing;

namespace NewsFeed.Tests.Edge;

/// <summary>Every cacheable response names what it depends on, in the header forms edges read; 304s too.</summary>
public sealed class EdgeHeadersTests
{
    private const string OneDay = "max-age=86400";

    [Theory]
    [InlineData("/feeds/latest.rss", "latest")]
    [InlineData("/feeds/latest.json?limit=5", "latest")]
    [InlineData("/feeds/sections/science.atom", "sections/science")]
    [InlineData("/feeds/authors/ada-quill.json", "authors/ada-quill")]
    [InlineData("/feeds/tags/space-weather.rss", "tags/space-weather")]
    [InlineData("/feeds/partners.rss", "partners")]
    [InlineData("/feeds/partners/harbor-gazette.atom", "partners/harbor-gazette")]
    [InlineData("/feeds/sections/science/archive/2026-11.atom", "sections/science/archive/2026-11")]
    [InlineData("/api/headlines", "latest")]
    [InlineData("/api/headlines?section=science", "sections/science")]
    [InlineData("/embed/headlines?section=science", "sections/science")]
    public async Task CacheableResponse_CarriesItsKeys_InEveryForm_AndTheEdgeLifetime(string url, string key)
    {
        using var app = EdgeApp(allHeaders: true);
        using var admin = app.CreateAdminClient();
        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(key, Header(response, "xkey"));
        Assert.Equal(key, Header(response, "Surrogate-Key"));
        Assert.Equal(key, Header(response, "Cache-Tag"));
        Assert.Equal(OneDay, Header(response, "Surrogate-Control"));
        Assert.Equal(OneDay, Header(response, "CDN-Cache-Control"));
        // Browsers and readers keep the short lifetime.
        Assert.Contains("max-age=300", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(key, Header(notModified, "xkey"));
        Assert.Equal(OneDay, Header(notModified, "Surrogate-Control"));
    }

    [Fact]
    public async Task SectionFeed_ListingPartnerItems_AlsoCarriesThePartnersKey()
    {
        using var app = EdgeApp(allHeaders: true);
        app.Settings["Partners:IncludeInSections"] = "true";
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/feeds/sections/world.rss");

        Assert.Equal("sections/world partners", Header(response, "xkey"));
        Assert.Equal("sections/world,partners", Header(response, "Cache-Tag"));
    }

    [Fact]
    public async Task BrowserView_CarriesTheFeedsKeys_ButNoEdgeLifetime()
    {
        using var app = EdgeApp(allHeaders: false);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        request.Headers.Add("Sec-Fetch-Dest", "document");

        using var response = await client.SendAsync(request);

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("latest", Header(response, "xkey"));
        // A CDN must not keep the private HTML page: an edge lifetime would override its Cache-Control there.
        Assert.False(response.Headers.Contains("Surrogate-Control"));
        Assert.False(response.Headers.Contains("CDN-Cache-Control"));
        Assert.Contains("private", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VarnishPurgerOnly_SendsOnlyTheHeaderVarnishReads()
    {
        using var app = EdgeApp(allHeaders: false, keyPrefix: "site1:");
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/feeds/latest.rss");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("site1:latest", Header(response, "xkey"));
        Assert.False(response.Headers.Contains("Surrogate-Key"));
        Assert.False(response.Headers.Contains("Cache-Tag"));
    }

    [Fact]
    public async Task WithoutEdgeSettings_NoEdgeHeaderIsSent()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/feeds/latest.rss");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var name in new[] { "xkey", "Surrogate-Key", "Cache-Tag", "Surrogate-Control", "CDN-Cache-Control" })
        {
            Assert.False(response.Headers.Contains(name), name);
        }
    }

    /// <summary>An app with a Varnish purger (nowhere: these tests only read responses) and a day's edge lifetime.</summary>
    internal static NewsFeedApp EdgeApp(bool allHeaders, string keyPrefix = "")
    {
        var app = new NewsFeedApp();
        app.Settings["Edge:MaxAge"] = "1.00:00:00";
        app.Settings["Edge:KeyPrefix"] = keyPrefix;
        app.Settings["Edge:Purgers:0:Type"] = "Varnish";
        app.Settings["Edge:Purgers:0:Urls:0"] = $"http://127.0.0.1:{ServerProcess.FreePort()}/";
        app.Settings["Edge:MaxAttempts"] = "1";
        app.Settings["Edge:MaxRetries"] = "0";
        if (allHeaders)
        {
            app.Settings["Edge:TagHeaders:0"] = "xkey";
            app.Settings["Edge:TagHeaders:1"] = "Surrogate-Key";
            app.Settings["Edge:TagHeaders:2"] = "Cache-Tag";
        }
        return app;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
