using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Site;

namespace NewsFeed.Home;

/// <summary>
/// "/": every feed with its address and autodiscovery links (&lt;link rel="alternate"&gt;) so a
/// browser or reader pointed at the server finds them. Listing the terms reads the whole term
/// index, so the page is kept until the latest feed's or the partners' version moves (every write that
/// changes a listed term or partner moves one of them), or a minute passes (for embargo lifts).
/// </summary>
internal static class HomePage
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    public static WebApplicationBuilder AddHome(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HomePageCache>();
        return builder;
    }

    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], async (IArticleStore store, IPartnerStore partners, TimeProvider time, IOptions<SiteOptions> site, HomePageCache cache, CancellationToken cancellationToken) =>
        {
            var now = time.GetUtcNow();
            var version = await store.VersionOfAsync(null, cancellationToken) + await partners.VersionOfAsync(null, cancellationToken);
            if (cache.Page is not { } page || page.Version != version || now - page.Built > MaxAge)
            {
                var terms = await store.ListTermsAsync(now, cancellationToken);
                // Partners with something to show: enabled ones, and disabled ones whose last items are still served.
                var listed = (await partners.ListAsync(cancellationToken))
                    .Where(p => p.Partner.Enabled || p.ItemCount > 0)
                    .Select(p => (p.Partner.Id, p.Partner.Name))
                    .ToList();
                cache.Page = page = new CachedPage(version, now, Render(site.Value, terms, listed));
            }
            return Results.Content(page.Html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    internal sealed record CachedPage(long Version, DateTimeOffset Built, string Html);

    internal static string Render(SiteOptions site, IReadOnlyList<TermSummary> terms, IReadOnlyList<(string Id, string Name)> partners)
    {
        var html = HtmlEncoder.Default;
        var baseUrl = site.BaseUrl;
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="{{html.Encode(site.Language)}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{html.Encode(site.Title)}}: feeds</title>
            <link rel="alternate" type="application/rss+xml" title="{{html.Encode(site.Title)}} (RSS)" href="{{html.Encode(baseUrl + "feeds/latest.rss")}}">
            <link rel="alternate" type="application/atom+xml" title="{{html.Encode(site.Title)}} (Atom)" href="{{html.Encode(baseUrl + "feeds/latest.atom")}}">
            <link rel="alternate" type="application/feed+json" title="{{html.Encode(site.Title)}} (JSON Feed)" href="{{html.Encode(baseUrl + "feeds/latest.json")}}">

            """);
        // Readers offer every autodiscovered feed; each section's RSS is worth offering, authors and tags are too many.
        foreach (var section in terms.Where(t => t.Kind == TermKind.Section))
        {
            page.Append(CultureInfo.InvariantCulture, $"""
                <link rel="alternate" type="application/rss+xml" title="{html.Encode($"{site.Title}: {section.Name}")} (RSS)" href="{html.Encode($"{baseUrl}feeds/sections/{section.Slug}.rss")}">

                """);
        }
        page.Append(CultureInfo.InvariantCulture, $$"""
            <style>
            body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; background: #fff; }
            h1 { margin-bottom: .25rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
            ul { list-style: none; padding: 0; } li { margin: .4rem 0; }
            code { background: #f3f3f3; padding: .1rem .3rem; border-radius: 3px; font-size: .85em; word-break: break-all; user-select: all; }
            .formats a { margin-right: .6rem; }
            @media (prefers-color-scheme: dark) { body { color: #e8e8e8; background: #161616; } code { background: #2a2a2a; } h2 { border-color: #333; } a { color: #8cb4ff; } }
            </style>
            </head>
            <body>
            <h1>{{html.Encode(site.Title)}}</h1>
            <p>{{html.Encode(site.Description)}}</p>
            <p>Copy a feed address into your feed reader to subscribe. Every feed comes as RSS, Atom and JSON Feed.</p>
            <p>Nothing drops out of the record: besides its newest stories, each story feed links to its archive, one document a month back to the first story (RFC 5005 archived feeds, at addresses like <code>{{html.Encode(baseUrl + "feeds/latest/archive/")}}<var>yyyy-mm</var>.atom</code>), so a reader that subscribes today can fetch the whole history once.</p>
            <h2>All stories</h2>
            <ul>
            """);
        AppendFeed(page, html, baseUrl, "Latest stories", "feeds/latest");
        AppendFeed(page, html, baseUrl, "From our partners", "feeds/partners");
        page.Append("</ul>\n");

        foreach (var (kind, heading, folder) in new[] { (TermKind.Section, "Sections", "sections"), (TermKind.Author, "Authors", "authors"), (TermKind.Tag, "Tags", "tags") })
        {
            var ofKind = terms.Where(t => t.Kind == kind).ToList();
            if (ofKind.Count == 0) continue;
            page.Append(CultureInfo.InvariantCulture, $"<h2>{heading}</h2>\n<ul>\n");
            foreach (var term in ofKind)
            {
                AppendFeed(page, html, baseUrl, $"{term.Name} ({term.Count})", $"feeds/{folder}/{term.Slug}");
            }
            page.Append("</ul>\n");
        }
        if (partners.Count > 0)
        {
            page.Append("<h2>Partners</h2>\n<ul>\n");
            foreach (var (id, name) in partners)
            {
                AppendFeed(page, html, baseUrl, name, $"feeds/partners/{id}");
            }
            page.Append("</ul>\n");
        }

        page.Append(CultureInfo.InvariantCulture, $"""
            <h2>Headlines for your site</h2>
            <p>Partner sites can embed our latest headlines, or one section's: as a <a href="{html.Encode(baseUrl + "embed/headlines")}">page for an iframe</a>, as a script widget (<code>{html.Encode(baseUrl + "embed/headlines.js")}</code>), or as JSON from <a href="{html.Encode(baseUrl + "api/headlines")}">the headlines API</a>.</p>

            """);
        page.Append("</body>\n</html>\n");
        return page.ToString();
    }

    private static void AppendFeed(StringBuilder page, HtmlEncoder html, string baseUrl, string label, string path)
    {
        var rss = html.Encode(baseUrl + path + ".rss");
        page.Append(CultureInfo.InvariantCulture, $"""
            <li><strong>{html.Encode(label)}</strong> <code>{rss}</code><br><span class="formats"><a href="{rss}">RSS</a><a href="{html.Encode(baseUrl + path + ".atom")}">Atom</a><a href="{html.Encode(baseUrl + path + ".json")}">JSON Feed</a></span></li>

            """);
    }
}

/// <summary>The last rendered home page (one per app, registered as a singleton).</summary>
internal sealed class HomePageCache
{
    internal volatile HomePage.CachedPage? Page;
}
