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

    [BrowserTheory]
    [InlineData("feeds/tags/style-tag.rss")]
    [InlineData("feeds/tags/style-tag.atom")]
    public async Task Open_FeedWithRtlBylinesLongWordsAndAStyleTagName_StylesApplyAndBylinesReadInOrder(string path)
    {
        await BidiArticles.PublishAsync(browser.App);
        await using var tab = await browser.NewPageAsync();

        await tab.Page.GotoAsync(browser.AppUrl + path);

        // The page's own styles apply, and no CSP report: the hash is of feed.xsl's style, not of a term's text.
        await Assertions.Expect(tab.Page.Locator("h1")).ToContainTextAsync(BidiArticles.TagName);
        Assert.Equal("rgb(238, 244, 255)", await tab.Page.Locator(".subscribe").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.DoesNotContain(tab.Console, line => line.Contains("Content Security Policy", StringComparison.Ordinal));

        // The Hebrew item reads right to left, and its byline still reads "date · by name", date first, on the left.
        var hebrew = tab.Page.Locator("article", new() { HasText = BidiArticles.HebrewTitle });
        Assert.Equal("rtl", await hebrew.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        var date = await SpanOfAsync(hebrew, "24 Nov 2026, 09:00 UTC");
        var name = await SpanOfAsync(hebrew, BidiArticles.HebrewAuthor);
        Assert.True(date[1] <= name[0], $"date (x {date[0]}..{date[1]}) left of the name (x {name[0]}..{name[1]})");
        Assert.True((await SpanOfAsync(hebrew, "by"))[1] <= name[0], "'by' before the name");

        // The Arabic co-author comes first, then the English one, in that order on the line.
        var mixed = tab.Page.Locator("article", new() { HasText = "Donaudampfschiff" });
        Assert.True((await SpanOfAsync(mixed, BidiArticles.ArabicAuthor))[1] <= (await SpanOfAsync(mixed, "Ada Quill"))[0], "by the Arabic name, then the English one");

        // A 200-letter title wraps inside its column instead of running out of it.
        var heading = mixed.Locator("h2");
        Assert.Equal("anywhere", await heading.EvaluateAsync<string>("e => getComputedStyle(e).overflowWrap"));
        Assert.True(await heading.EvaluateAsync<bool>("e => e.getBoundingClientRect().right <= e.closest('article').getBoundingClientRect().right + 0.5"), "title stays in its column");
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no horizontal scrolling");
    }

    /// <summary>Where <paramref name="text"/> is drawn on the byline line of <paramref name="article"/>: [left, right], whatever the markup.</summary>
    private static Task<double[]> SpanOfAsync(ILocator article, string text) => article.Locator(".meta").EvaluateAsync<double[]>("""
        (meta, text) => {
          const walker = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(text);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + text.length);
            const box = range.getBoundingClientRect();
            return [box.left, box.right];
          }
          throw new Error('not on the byline: ' + text);
        }
        """, text);

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
