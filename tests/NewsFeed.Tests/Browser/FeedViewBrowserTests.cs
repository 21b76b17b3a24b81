using Microsoft.Playwright;
using NewsFeed.Tests.Embed;
using NewsFeed.Tests.Feeds;

namespace NewsFeed.Tests.Browser;

/// <summary>
/// A feed opened in Chromium, which no longer runs XSLT: the server's run of /feed.xsl must show a
/// readable page, and a hostile title in it must stay text.
/// </summary>
public sealed class FeedViewBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserTheory]
    [InlineData("feeds/latest.rss")]
    [InlineData("feeds/latest.atom")]
    [InlineData("feeds/sections/world.rss")]
    [InlineData("feeds/tags/local-government.atom")]
    public async Task Open_Feed_ShowsItsItemsAsAReadablePage(string path)
    {
        var feed = FeedAssert.WellFormedXml(await browser.App.CreateClient().GetByteArrayAsync(path));
        var titles = feed.Descendants().Where(e => e.Name.LocalName is "item" or "entry")
            .Select(e => e.Elements().First(t => t.Name.LocalName == "title").Value).ToList();
        await using var tab = await browser.NewPageAsync();

        var response = await tab.Page.GotoAsync(browser.AppUrl + path);

        Assert.Equal("text/html; charset=utf-8", await response!.HeaderValueAsync("content-type"));
        Assert.Equal(titles, await tab.Page.Locator("article h2").AllTextContentsAsync());
        await Assertions.Expect(tab.Page.Locator(".subscribe")).ToContainTextAsync("Copy this address into your feed reader");
        await Assertions.Expect(tab.Page.Locator(".subscribe code")).ToHaveTextAsync("http://localhost/" + path);
        await Assertions.Expect(tab.Page.Locator("article time").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$"));
        Assert.Equal("rgb(238, 244, 255)", await tab.Page.Locator(".subscribe").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.DoesNotContain(tab.Console, line => line.Contains("Content Security Policy", StringComparison.Ordinal) && !line.Contains("img-src", StringComparison.Ordinal));
    }

    [BrowserTheory]
    [InlineData("feeds/sections/world.rss")]
    [InlineData("feeds/sections/world.atom")]
    public async Task Open_FeedWithHostileTitle_ShowsItAsTextAndRunsNothing(string path)
    {
        await using var tab = await browser.NewPageAsync();

        await tab.Page.GotoAsync(browser.AppUrl + path);
        await Assertions.Expect(tab.Page.Locator("article h2").First).ToHaveTextAsync(HostileArticle.Title);
        await tab.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal(0, await tab.Page.Locator("img[src='x']").CountAsync());
        Assert.Equal(0, await tab.Page.Locator("script").CountAsync());
        await Assertions.Expect(tab.Page.Locator("article p").Nth(1)).ToContainTextAsync("<script>alert(2)</script>");
        Assert.Empty(tab.Dialogs);
    }

    [BrowserFact]
    public async Task Fetch_FeedFromAnotherSitesScript_GetsTheFeedNotTheHtml()
    {
        var url = browser.PartnerPage("reader", "<!DOCTYPE html><title>A web feed reader</title>");
        await using var tab = await browser.NewPageAsync();
        await tab.Page.GotoAsync(url.AbsoluteUri);

        var contentType = await tab.Page.EvaluateAsync<string>("""
            url => fetch(url).then(r => r.headers.get('content-type'))
            """, browser.AppUrl + "feeds/latest.rss");

        Assert.Equal("application/rss+xml; charset=utf-8", contentType);
    }
}
