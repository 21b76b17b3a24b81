using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace NewsFeed.Embed;

internal enum EmbedTheme
{
    Auto,
    Light,
    Dark,
}

/// <summary>
/// <c>/embed/headlines</c>: a page made to sit in a partner's &lt;iframe&gt;. It loads nothing (no
/// script, font, image or stylesheet from anywhere), every text is HTML-encoded, and its one inline
/// style is allowed by hash in a Content-Security-Policy that forbids everything else, so even a
/// headline that slipped markup past every other layer could not run or fetch a thing.
/// </summary>
internal static class HeadlinesPage
{
    public const string ContentType = "text/html; charset=utf-8";

    // Colours as custom properties: "auto" follows prefers-color-scheme, the classes force a theme.
    private const string Style = """
        :root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5f6368;--bg:#fff;--link:#0b4fa8;--rule:#e3e3e3}
        :root.light{color-scheme:light}
        :root.dark{color-scheme:dark;--fg:#e8e8e8;--muted:#a7a7a7;--bg:#161616;--link:#8cb4ff;--rule:#333}
        @media (prefers-color-scheme:dark){:root:not(.light){--fg:#e8e8e8;--muted:#a7a7a7;--bg:#161616;--link:#8cb4ff;--rule:#333}}
        html{background:var(--bg);color:var(--fg)}
        body{margin:0;padding:.5rem .75rem;font:14px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        h1{font-size:.8rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;margin:0 0 .35rem}
        h1 a{color:var(--muted)}
        a{color:var(--link);text-decoration:none}
        a:hover,a:focus{text-decoration:underline}
        ol{list-style:none;margin:0;padding:0}
        li{padding:.4rem 0;border-top:1px solid var(--rule)}
        li a{display:block;font-weight:600;color:var(--fg);overflow-wrap:anywhere}
        .meta{display:block;margin-top:.1rem;font-size:.75rem;color:var(--muted)}
        .empty{color:var(--muted)}
        """;

    /// <summary>
    /// Nothing may load, connect, submit or run; only the one inline style above may apply.
    /// Any site may frame the page: that is what it is for (frame-ancestors, CSP Level 2).
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src '{StyleHash()}'; base-uri 'none'; form-action 'none'; frame-ancestors *";

    // HTML-sensitive characters are always encoded; the rest of Unicode stays readable.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static byte[] Render(HeadlineList list, string language, EmbedTheme theme)
    {
        var themeClass = theme switch
        {
            EmbedTheme.Light => " class=\"light\"",
            EmbedTheme.Dark => " class=\"dark\"",
            _ => "",
        };
        var page = new StringBuilder(2048 + list.Headlines.Count * 400);
        page.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="{Html.Encode(language)}"{themeClass}>
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="strict-origin-when-cross-origin">
            <title>{Html.Encode(list.Title)}</title>
            <style>{Style}</style>
            </head>
            <body>
            <h1><a href="{Html.Encode(list.Link)}" target="_blank" rel="noopener">{Html.Encode(list.Title)}</a></h1>

            """);
        if (list.Headlines.Count == 0)
        {
            page.Append("<p class=\"empty\">No headlines yet.</p>\n");
        }
        else
        {
            page.Append("<ol>\n");
            foreach (var headline in list.Headlines)
            {
                var published = headline.Published.UtcDateTime;
                page.Append(CultureInfo.InvariantCulture, $"""
                    <li lang="{Html.Encode(headline.Language)}"><a href="{Html.Encode(headline.Url)}" target="_blank" rel="noopener" dir="auto">{Html.Encode(headline.Title)}</a><span class="meta"><time datetime="{published:yyyy-MM-dd'T'HH:mm:ss'Z'}">{published:d MMM yyyy}</time>
                    """);
                // Our own stories need no credit line; partner stories (a later feature) name their source.
                if (headline.Source.Type != HeadlineSource.Publisher)
                {
                    page.Append(" · ").Append(Html.Encode(headline.Source.Name));
                }
                page.Append("</span></li>\n");
            }
            page.Append("</ol>\n");
        }
        page.Append("</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(page.ToString());
    }

    /// <summary>CSP hash source of the style element's exact text (CSP Level 2 §4.2.4).</summary>
    private static string StyleHash() => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    public static bool TryParseTheme(string? value, out EmbedTheme theme)
    {
        switch (value)
        {
            case "auto": theme = EmbedTheme.Auto; return true;
            case "light": theme = EmbedTheme.Light; return true;
            case "dark": theme = EmbedTheme.Dark; return true;
            default: theme = default; return false;
        }
    }
}
