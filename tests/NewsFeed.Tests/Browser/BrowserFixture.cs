using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using NewsFeed.Tests.Embed;

namespace NewsFeed.Tests.Browser;

/// <summary>
/// One Chromium per test class, driving the real app on Kestrel at 127.0.0.1 (a browser cannot reach
/// WebApplicationFactory's in-memory TestServer) and a stand-in partner site on another loopback
/// port, so the widget runs cross-origin as it does for partners. The store holds the sample articles
/// plus <see cref="HostileArticle"/>. The browser never leaves loopback: every other request is aborted.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, string> _partnerPages = new();
    private IPlaywright? _playwright;
    private WebApplication? _partner;

    public NewsFeedApp App { get; } = new();

    /// <summary>The app's origin, e.g. http://127.0.0.1:41234/.</summary>
    public Uri AppUrl { get; private set; } = null!;

    /// <summary>The partner site's origin: same host, another port, so another origin.</summary>
    public Uri PartnerUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason is not null) return;
        if (!File.Exists(Chromium.ExecutablePath))
        {
            throw new InvalidOperationException($"CI is set but Chromium is not at {Chromium.ExecutablePath}; .ci/run installs Debian's chromium.");
        }

        App.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        App.StartServer();
        AppUrl = new Uri(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        await HostileArticle.PublishAsync(App);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _partner = builder.Build();
        _partner.MapGet("/{name}", (string name) => _partnerPages.TryGetValue(name, out var html)
            ? Results.Content(html, "text/html; charset=utf-8")
            : Results.NotFound());
        await _partner.StartAsync();
        PartnerUrl = new Uri(_partner.Urls.Single() + "/");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Serves a page of the partner site and returns its address.</summary>
    public Uri PartnerPage(string name, string html)
    {
        _partnerPages[name] = html;
        return new Uri(PartnerUrl, name);
    }

    /// <summary>
    /// A fresh context and page: fixed locale, time zone and viewport (stable screenshots), loopback
    /// only, and every dialog (alert, confirm) recorded and dismissed so a test can assert there was none.
    /// </summary>
    public async Task<BrowserPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.Locale ??= "en-GB";
        options.TimezoneId ??= "UTC";
        options.ViewportSize ??= new ViewportSize { Width = 1000, Height = 720 };
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(10_000);
        await context.RouteAsync(url => !IsLoopback(url), route => route.AbortAsync());
        var page = await context.NewPageAsync();
        var result = new BrowserPage(context, page);
        page.Dialog += (_, dialog) =>
        {
            result.Dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) => result.Console.Add($"{message.Type}: {message.Text}");
        return result;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_partner is not null) await _partner.DisposeAsync();
        await App.DisposeAsync();
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme is "about" or "data" || (uri.IsLoopback && uri.Host == "127.0.0.1"));
}

/// <summary>A page in its own browser context, with what it said.</summary>
public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>Messages of every alert/confirm/prompt the page opened.</summary>
    public ConcurrentBag<string> Dialogs { get; } = [];

    public ConcurrentBag<string> Console { get; } = [];

    public ValueTask DisposeAsync() => new(context.CloseAsync());
}
