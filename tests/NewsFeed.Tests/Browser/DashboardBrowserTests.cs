using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using NewsFeed.Readers;
using NewsFeed.Tests.Partners;

namespace NewsFeed.Tests.Browser;

/// <summary>
/// /admin in real Chromium: sign in with the admin key, read the circulation this test counted in the chart and
/// its table, press "Poll now" on a partner, with no console error and no request to any other origin. Writes the
/// screenshot to a temporary file, and to docs/images/admin.png when NEWSFEED_UPDATE_SCREENSHOTS=1.
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime, IDisposable
{
    private readonly NewsFeedApp _app = new() { Settings = new Dictionary<string, string?>(PartnerHarness.TestSettings) { ["Readers:FlushInterval"] = "01:00:00" } };
    private WebApplication? _partnerSite;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Uri _appUrl = null!;

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason is not null) return;
        _app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        _appUrl = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _partnerSite = builder.Build();
        _partnerSite.MapGet("/harbor.rss", () => Results.Content(PartnerHarness.Fixture("harbor-gazette.rss"), "application/rss+xml; charset=utf-8"));
        await _partnerSite.StartAsync();

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    [BrowserFact]
    public async Task Dashboard_SignInSeeCirculationPollNow_NoErrorsNoOtherOrigin()
    {
        await CountReadersAsync();
        await using var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-GB", TimezoneId = "UTC", ViewportSize = new ViewportSize { Width = 1100, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        var requests = new ConcurrentBag<string>();
        var console = new ConcurrentBag<string>();
        await context.RouteAsync("**/*", async route =>
        {
            requests.Add(route.Request.Url);
            if (new Uri(route.Request.Url).GetLeftPart(UriPartial.Authority) + "/" == _appUrl.AbsoluteUri) await route.ContinueAsync();
            else await route.AbortAsync();
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") console.Add(message.Text); };
        page.PageError += (_, error) => console.Add(error);

        await page.GotoAsync(new Uri(_appUrl, "admin").AbsoluteUri);
        Assert.EndsWith("/admin/sign-in?ReturnUrl=%2Fadmin", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#key", PartnerHarness.ApiKey);
        await page.ClickAsync("button[type=submit]");

        // The chart draws this test's numbers, and the table beside it holds them.
        var latestPoint = page.Locator("svg.chart g[data-feed='latest'] circle").Last;
        await Assertions.Expect(latestPoint).ToHaveAttributeAsync("data-value", "683");
        await Assertions.Expect(page.Locator("svg.chart g[data-feed='latest'] circle")).ToHaveCountAsync(5);
        Assert.Equal("latest, 2026-11-28: 683", await latestPoint.Locator("title").TextContentAsync());
        await Assertions.Expect(page.Locator("svg.chart g[data-feed='sections/world'] circle").Last).ToHaveAttributeAsync("data-value", "80");
        await Assertions.Expect(page.Locator("#circulation-table tr[data-feed='latest'] td").Last).ToHaveTextAsync("683");
        await Assertions.Expect(page.Locator("#readers")).ToContainTextAsync("Feedbin");
        await Assertions.Expect(page.Locator("#readers")).ToContainTextAsync("2 feed-ids summed");

        // Poll now: a form post with its antiforgery token; the partner's health shows the poll.
        await page.Locator("tr[data-partner='harbor'] button", new() { HasText = "Poll now" }).ClickAsync();
        await Assertions.Expect(page.Locator("#poll-result")).ToContainTextAsync("Polled partner harbor: Updated");
        await Assertions.Expect(page.Locator("tr[data-partner='harbor'] td.n")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("tr[data-partner='harbor'] .good")).ToContainTextAsync("2026-11-28");

        var png = await page.ScreenshotAsync(new() { FullPage = true, Path = Path.Combine(Path.GetTempPath(), "newsfeed-admin.png") });
        if (Environment.GetEnvironmentVariable("NEWSFEED_UPDATE_SCREENSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "docs", "images"));
            await File.WriteAllBytesAsync(Path.Combine(RepoPaths.Root, "docs", "images", "admin.png"), png);
        }
        Assert.Empty(console);
        Assert.All(requests, url => Assert.StartsWith(_appUrl.AbsoluteUri, url, StringComparison.Ordinal));
    }

    /// <summary>Polls feeds as aggregators and reader apps would, adds the partner, and flushes the counts.</summary>
    private async Task CountReadersAsync()
    {
        using var http = new HttpClient { BaseAddress = _appUrl };
        async Task Poll(string path, string userAgent)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
        // Five days of growing circulation, from 2026-11-24 to 2026-11-28; the last day's numbers are the ones asserted.
        for (var day = 0; day < 5; day++)
        {
            if (day > 0) _app.Time.Advance(TimeSpan.FromDays(1));
            var less = (4 - day) * 25;
            await Poll("feeds/latest.rss", $"Feedly/1.0 (+http://www.feedly.com/fetcher.html; {462 - less} subscribers; )");
            await Poll("feeds/latest.atom", $"Mozilla/5.0 (compatible; inoreader.com; {114 - less / 5} subscribers)");
            await Poll("feeds/latest.json", "Feedbin feed-id:1697787 - 102 subscribers");
            await Poll("feeds/latest.rss", "Feedbin feed-id:1697788 - 3 subscribers");
            await Poll("feeds/latest.rss", "NetNewsWire (RSS Reader; https://netnewswire.com/)");
            await Poll("feeds/latest.rss", "Reeder/5050.0 CFNetwork/1494.0.7 Darwin/23.4.0");
            await Poll("feeds/sections/world.rss", $"Feedly/1.0 (+http://www.feedly.com/fetcher.html; {80 - less / 4} subscribers; )");
            await _app.Services.GetRequiredService<ReaderFlusher>().FlushAsync(CancellationToken.None);
        }

        using var admin = new HttpClient { BaseAddress = _appUrl };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PartnerHarness.ApiKey);
        using var created = await admin.PostAsJsonAsync("api/partners", new
        {
            id = "harbor", name = "The Harbor Gazette", url = _partnerSite!.Urls.Single() + "/harbor.rss", enabled = true,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync() + created.Headers);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_partnerSite is not null) await _partnerSite.DisposeAsync();
    }

    public void Dispose() => _app.Dispose();
}
