using System.Net;
using System.Text.RegularExpressions;

namespace NewsFeed.Tests.Home;

public sealed class HomePageTests(NewsFeedApp app) : AppEndpointTests(app)
{
    [Fact]
    public async Task Home_ListsFeedsWithAutodiscoveryLinks()
    {
        using var response = await Client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        foreach (var type in new[] { "application/rss+xml", "application/atom+xml", "application/feed+json" })
        {
            Assert.Matches(new Regex($"<link rel=\"alternate\" type=\"{Regex.Escape(type)}\"[^>]*href=\"http://localhost/feeds/latest\\.", RegexOptions.None), html);
        }
        Assert.Contains("http://localhost/feeds/sections/world.rss", html, StringComparison.Ordinal);
        Assert.Contains("http://localhost/feeds/authors/world-desk.rss", html, StringComparison.Ordinal);
        Assert.Contains("http://localhost/feeds/tags/local-government.rss", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_OffersEachSectionForAutodiscoveryAndPointsPartnersToTheHeadlines()
    {
        var html = await Client.GetStringAsync("/");

        Assert.Contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"The Meridian Ledger: World (RSS)\" href=\"http://localhost/feeds/sections/world.rss\">", html, StringComparison.Ordinal);
        Assert.Contains("href=\"http://localhost/embed/headlines\"", html, StringComparison.Ordinal);
        Assert.Contains("http://localhost/embed/headlines.js", html, StringComparison.Ordinal);
        Assert.Contains("href=\"http://localhost/api/headlines\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_LiveAndReady_Answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/readyz")).StatusCode);
    }
}

/// <summary>The home page with partners; its own app, since the page is cached.</summary>
public sealed class HomePagePartnerTests
{
    [Fact]
    public async Task Home_ListsEnabledPartnersFeeds_NotDisabledEmptyOnes_AndAnswersHead()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        // Not polled in this test: listing needs only the registry.
        using var created = await admin.PostAsync("/api/partners", System.Net.Http.Json.JsonContent.Create(
            new { id = "tide-times", name = "Tide <Times>", url = "https://tide-times.example/feed.rss" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var html = await admin.GetStringAsync("/");
        using var head = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Contains("http://localhost/feeds/partners/tide-times.rss", html, StringComparison.Ordinal);
        Assert.Contains("Tide &lt;Times&gt;", html, StringComparison.Ordinal);
        // The shipped example partners are disabled and have no items.
        Assert.DoesNotContain("feeds/partners/harbor-gazette", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }
}
