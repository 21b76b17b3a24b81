using System.Text.Json.Nodes;
using Microsoft.Playwright;
using NewsFeed.Tests.Embed;

namespace NewsFeed.Tests.Browser;

/// <summary>The script widget and the iframe page in real Chromium, embedded by a partner site on another origin.</summary>
public sealed class EmbedBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>A partner page whose own CSS is loud, to see that it stays out of the widget and the widget's stays out of it.</summary>
    private string HostPage(string widgets, string head = "") => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>The Harbour Gazette</title>
        <script>window.__globalsBefore = Object.getOwnPropertyNames(window); window.__pwned = false;</script>
        {{head}}
        <style>
        body { font: 17px/1.5 Georgia, serif; margin: 24px; color: #222; background: #faf7f0; }
        li, a { color: rgb(255, 0, 0) !important; font-family: monospace !important; }
        .grid { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 20px; align-items: start; }
        </style>
        </head>
        <body>
        <h1>The Harbour Gazette</h1>
        <ul id="own"><li>The partner's own list item</li></ul>
        {{widgets}}
        <script async src="{{browser.AppUrl}}embed/headlines.js"></script>
        </body>
        </html>
        """;

    [BrowserFact]
    public async Task Widget_TwoOnOnePage_RenderBothListsFromTheApi()
    {
        var url = browser.PartnerPage("two-widgets", HostPage("""
            <div data-newsfeed-headlines data-limit="5"></div>
            <div data-newsfeed-headlines data-section="technology" data-limit="3" data-theme="dark"></div>
            """));
        await using var tab = await browser.NewPageAsync();
        var apiRequests = new List<string>();
        tab.Page.Request += (_, request) => { if (request.Url.Contains("/api/headlines", StringComparison.Ordinal)) apiRequests.Add(request.Url); };

        await tab.Page.GotoAsync(url.AbsoluteUri);
        var widgets = tab.Page.Locator("[data-newsfeed-headlines]");
        var latest = widgets.Nth(0).Locator("li a");
        var technology = widgets.Nth(1).Locator("li a");
        await Assertions.Expect(latest).ToHaveCountAsync(5);
        await Assertions.Expect(technology).ToHaveCountAsync(3);

        Assert.Equal(await TitlesAsync("/api/headlines?limit=5"), await latest.AllTextContentsAsync());
        Assert.Equal(await TitlesAsync("/api/headlines?section=technology&limit=3"), await technology.AllTextContentsAsync());
        // The API is found where the script came from, not on the partner's origin.
        Assert.NotEmpty(apiRequests);
        Assert.All(apiRequests, request => Assert.StartsWith(browser.AppUrl.AbsoluteUri + "api/headlines?", request, StringComparison.Ordinal));
        // Links leave the partner's page.
        Assert.Equal("_blank", await latest.First.GetAttributeAsync("target"));
        Assert.Equal("noopener", await latest.First.GetAttributeAsync("rel"));

        // CSS stays on its own side of the shadow boundary, both ways.
        Assert.NotEqual("rgb(255, 0, 0)", await latest.First.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.Equal("0px", await tab.Page.Locator("#own li").EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth"));
        Assert.Equal("1px", await latest.First.Locator("xpath=..").EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth"));
        // The dark widget is dark, whatever the page.
        Assert.Equal("rgb(22, 22, 22)", await widgets.Nth(1).Locator(".nf").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        // No globals left behind.
        var leaked = await tab.Page.EvaluateAsync<string[]>("() => Object.getOwnPropertyNames(window).filter(n => !window.__globalsBefore.includes(n) && !n.startsWith('__'))");
        Assert.Empty(leaked);
    }

    [BrowserFact]
    public async Task Widget_FetchFails_ShowsTheFallback()
    {
        var url = browser.PartnerPage("offline", HostPage("""
            <div id="plain" data-newsfeed-headlines data-section="world"></div>
            <div id="own-fallback" data-newsfeed-headlines><a href="https://partner.example/news">Read the news</a></div>
            """));
        await using var tab = await browser.NewPageAsync();
        await tab.Page.RouteAsync(url => url.Contains("/api/headlines", StringComparison.Ordinal), route => route.AbortAsync("connectionrefused"));

        await tab.Page.GotoAsync(url.AbsoluteUri);

        await Assertions.Expect(tab.Page.Locator("#plain .note")).ToHaveTextAsync("Headlines are unavailable right now.");
        // A partner's own content in the element is the fallback when it has one.
        await Assertions.Expect(tab.Page.Locator("#own-fallback slot")).ToHaveCountAsync(1);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Read the news" })).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.Locator("#own-fallback .note")).ToBeHiddenAsync();
    }

    [BrowserFact]
    public async Task Widget_ErrorAnswer_ShowsTheFallback()
    {
        var url = browser.PartnerPage("unknown-section", HostPage("""<div data-newsfeed-headlines data-section="no-such-section"></div>"""));
        await using var tab = await browser.NewPageAsync();

        await tab.Page.GotoAsync(url.AbsoluteUri);

        await Assertions.Expect(tab.Page.Locator("[data-newsfeed-headlines] .note")).ToHaveTextAsync("Headlines are unavailable right now.");
    }

    [BrowserFact]
    public async Task Widget_HostileTitle_IsTextAndRunsNothing()
    {
        var url = browser.PartnerPage("hostile", HostPage("""<div data-newsfeed-headlines data-section="world"></div>"""));
        await using var tab = await browser.NewPageAsync();

        await tab.Page.GotoAsync(url.AbsoluteUri);
        var first = tab.Page.Locator("[data-newsfeed-headlines] li a").First;
        await Assertions.Expect(first).ToHaveTextAsync(HostileArticle.Title);
        await tab.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal(0, await tab.Page.Locator("[data-newsfeed-headlines] img").CountAsync());
        Assert.False(await tab.Page.EvaluateAsync<bool>("() => window.__pwned"));
        Assert.Empty(tab.Dialogs);
    }

    [BrowserFact]
    public async Task Iframe_WithoutJavaScript_RendersTheHeadlines()
    {
        var url = browser.PartnerPage("iframe", HostPage($"""<iframe title="Headlines" src="{browser.AppUrl}embed/headlines?section=world&amp;theme=dark" width="360" height="400"></iframe>"""));
        await using var tab = await browser.NewPageAsync(new() { JavaScriptEnabled = false });

        await tab.Page.GotoAsync(url.AbsoluteUri);
        var frame = tab.Page.FrameLocator("iframe");
        var links = frame.Locator("li a");
        await Assertions.Expect(links.First).ToHaveTextAsync(HostileArticle.Title);

        Assert.Equal(await TitlesAsync("/api/headlines?section=world"), await links.AllTextContentsAsync());
        Assert.Equal(0, await frame.Locator("img").CountAsync());
        Assert.Equal("_blank", await links.First.GetAttributeAsync("target"));
        // theme=dark, and the style applied: its hash is the one the CSP allows.
        Assert.Equal("rgb(22, 22, 22)", await frame.Locator("html").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.DoesNotContain(tab.Console, line => line.Contains("Content Security Policy", StringComparison.Ordinal));
        Assert.Empty(tab.Dialogs);
    }

    [BrowserTheory]
    [InlineData(ColorScheme.Light, "", "rgb(255, 255, 255)")]
    [InlineData(ColorScheme.Dark, "", "rgb(22, 22, 22)")]
    [InlineData(ColorScheme.Dark, "&theme=light", "rgb(255, 255, 255)")]
    [InlineData(ColorScheme.Light, "&theme=dark", "rgb(22, 22, 22)")]
    public async Task Iframe_Theme_FollowsTheReaderUnlessForced(ColorScheme scheme, string theme, string background)
    {
        await using var tab = await browser.NewPageAsync(new() { JavaScriptEnabled = false, ColorScheme = scheme });

        var response = await tab.Page.GotoAsync($"{browser.AppUrl}embed/headlines?section=business{theme}");

        Assert.Equal(200, response!.Status);
        Assert.Equal(background, await tab.Page.Locator("html").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.True(await tab.Page.Locator("li").CountAsync() > 0);
        Assert.DoesNotContain(tab.Console, line => line.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    /// <summary>
    /// The README's picture of a partner page with two widgets and an iframe. Written to the temp
    /// folder on every run; with NEWSFEED_UPDATE_SCREENSHOTS=1, also to docs/embed-widget.png.
    /// </summary>
    [BrowserFact]
    public async Task Screenshot_PartnerPageWithWidgetsAndIframe()
    {
        var url = browser.PartnerPage("screenshot", HostPage($$"""
            <div class="grid">
            <div data-newsfeed-headlines data-section="business" data-limit="4"></div>
            <div data-newsfeed-headlines data-section="technology" data-limit="4" data-theme="dark"></div>
            <iframe title="Culture headlines" src="{{browser.AppUrl}}embed/headlines?section=culture&amp;limit=4" style="width:100%;height:400px;border:1px solid #ddd;border-radius:6px"></iframe>
            </div>
            """)
            .Replace("li, a { color: rgb(255, 0, 0) !important; font-family: monospace !important; }", "", StringComparison.Ordinal)
            .Replace("""<ul id="own"><li>The partner's own list item</li></ul>""", "<p>Our partners' latest stories, embedded with one line of HTML each:</p>", StringComparison.Ordinal));
        await using var tab = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1100, Height = 600 } });

        await tab.Page.GotoAsync(url.AbsoluteUri);
        await Assertions.Expect(tab.Page.Locator("[data-newsfeed-headlines] li")).ToHaveCountAsync(8);
        await Assertions.Expect(tab.Page.FrameLocator("iframe").Locator("li")).Not.ToHaveCountAsync(0);
        var png = await tab.Page.ScreenshotAsync(new() { FullPage = true, Path = Path.Combine(Path.GetTempPath(), "newsfeed-embed-widget.png") });

        Assert.True(png.Length > 10_000);
        if (Environment.GetEnvironmentVariable("NEWSFEED_UPDATE_SCREENSHOTS") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(RepoPaths.Root, "docs", "embed-widget.png"), png);
        }
    }

    private async Task<IReadOnlyList<string>> TitlesAsync(string path)
    {
        var json = JsonNode.Parse(await browser.App.CreateClient().GetStringAsync(path))!;
        return json["headlines"]!.AsArray().Select(h => (string)h!["title"]!).ToList();
    }
}
