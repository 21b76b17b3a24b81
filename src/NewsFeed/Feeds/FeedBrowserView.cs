using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Xsl;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace NewsFeed.Feeds;

/// <summary>
/// The readable page of an RSS or Atom feed for browsers that no longer run XSLT. Chromium dropped
/// XSLT, so a feed link opened in it showed raw XML; the server now runs the very same
/// <c>/feed.xsl</c> (the one Firefox and Safari still run from the feed's xml-stylesheet) when a
/// browser navigates to a feed, and sends the HTML. Feed readers and every other client get the
/// feed's bytes exactly as before, and both answers carry <c>Vary</c> for the headers that chose.
/// </summary>
internal sealed class FeedBrowserView
{
    /// <summary>The request headers that decide between the feed and its HTML view (few values each, so CDNs keep few copies).</summary>
    internal static readonly StringValues DecidingHeaders = new(["Sec-Fetch-Dest", HeaderNames.UpgradeInsecureRequests]);

    // RSS and Atom get a view; JSON Feed stays JSON.
    private static readonly string RssContentType = FeedFormat.Rss.ContentType();
    private static readonly string AtomContentType = FeedFormat.Atom.ContentType();

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        // The feed is our own output, but it is still read as untrusted input: no DTD, no resolver.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    private readonly Lazy<Stylesheet> _stylesheet;
    private readonly FeedCache _cache;
    private readonly Func<CachedResponse, CachedResponse> _render;
    private readonly FeedMetrics _metrics;
    private readonly string _cacheControl;

    public FeedBrowserView(IWebHostEnvironment environment, FeedCache cache, FeedMetrics metrics, IOptions<FeedOptions> options)
    {
        _cache = cache;
        _render = Render;
        _metrics = metrics;
        // private: a shared cache that ignores Vary (some CDNs only honour Accept-Encoding) must never
        // store the HTML and hand it to a feed reader. The feed itself stays public.
        _cacheControl = options.Value.CacheControl().Replace("public", "private", StringComparison.Ordinal);
        _stylesheet = new(() => Load(environment.WebRootFileProvider.GetFileInfo("feed.xsl")), LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>
    /// A top-level browser navigation. Fetch Metadata (Sec-Fetch-Dest) decides when present: only
    /// browsers send it, and a page, script or reader fetching the feed never says "document".
    /// Browsers withhold it on plain-http origins (it is sent only to potentially trustworthy URLs),
    /// and there a navigation is recognised by <c>Upgrade-Insecure-Requests: 1</c>, which browsers send
    /// on navigations and feed readers do not. Accept is not consulted: readers that copy a browser's
    /// Accept header keep their feed, and shared caches need not keep a copy per Accept string.
    /// </summary>
    public static bool IsBrowserNavigation(HttpRequest request)
    {
        var destination = request.Headers["Sec-Fetch-Dest"];
        if (!StringValues.IsNullOrEmpty(destination))
        {
            return string.Equals(destination.ToString(), "document", StringComparison.OrdinalIgnoreCase);
        }
        return request.Headers.UpgradeInsecureRequests == "1";
    }

    /// <summary>Every RSS and Atom feed answers browsers with its HTML view (JSON Feed stays JSON).</summary>
    internal async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is not CachedResponseResult { Response: var feed } || !IsXmlFeed(feed))
        {
            return result;
        }
        var response = context.HttpContext.Response;
        // One concatenation (none when nothing varied the response yet), not one per header.
        response.Headers.Vary = StringValues.Concat(response.Headers.Vary, DecidingHeaders);
        if (!IsBrowserNavigation(context.HttpContext.Request))
        {
            return result;
        }
        // The HTML of one render of a feed, made at most once and with its own ETag; the cache keeps it
        // beside the feed and counts it against the same size limit.
        var (page, refusal) = await _cache.GetViewAsync(feed, _render, context.HttpContext.RequestAborted);
        if (refusal is { } refused)
        {
            return new RenderRefusedResult(refused);
        }
        response.Headers.ContentSecurityPolicy = _stylesheet.Value.ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        return new CachedResponseResult(page!, _cacheControl, _metrics);
    }

    internal static bool IsXmlFeed(CachedResponse response) =>
        response.ContentType == RssContentType || response.ContentType == AtomContentType;

    /// <summary>feed.xsl compiled, and the page's Content-Security-Policy, which depends on the stylesheet alone.</summary>
    private sealed record Stylesheet(XslCompiledTransform Transform, string ContentSecurityPolicy);

    /// <summary>The HTML page of a feed's bytes; a failed transform is not remembered, and the next request tries again.</summary>
    private CachedResponse Render(CachedResponse feed)
    {
        var stylesheet = _stylesheet.Value;
        var settings = stylesheet.Transform.OutputSettings!.Clone();
        settings.Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        // Line ends written as the stylesheet has them, so the <style> text is byte for byte what its CSP hash covers.
        settings.NewLineHandling = NewLineHandling.None;
        using var output = new RenderBuffer(feed.Identity.Body.Length);
        using (var input = XmlReader.Create(new MemoryStream(feed.Identity.Body, writable: false), ReaderSettings))
        using (var writer = XmlWriter.Create(output, settings))
        {
            stylesheet.Transform.Transform(input, null, writer, documentResolver: null);
        }
        var html = output.ToArray();
        // No Last-Modified: the page also depends on feed.xsl, which a deploy may change while the feed does not.
        // The feed's keys, so a purge reaches the page too; no edge lifetime, which would override its "private" at a CDN.
        return new CachedResponse(html, "text/html; charset=utf-8", null, feed.LinkHeader, feed.Version, feed.ValidUntil) { Edge = feed.Edge?.WithoutLifetime };
    }

    /// <summary>
    /// No script, no connections, nothing framed; the stylesheet's one inline style allowed by its
    /// hash (CSP Level 2), and images (the feed's thumbnails) from anywhere on the web. The hash is of
    /// the style text as feed.xsl holds it, known at load: never looked for in the page, where a feed's
    /// text can appear before it (a term named "&lt;style&gt;" in an attribute the html output leaves unescaped).
    /// </summary>
    internal static string ContentSecurityPolicyFor(string style) =>
        $"default-src 'none'; img-src http: https:; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private static Stylesheet Load(Microsoft.Extensions.FileProviders.IFileInfo file)
    {
        if (!file.Exists)
        {
            throw new InvalidOperationException("wwwroot/feed.xsl is missing.");
        }
        var transform = new XslCompiledTransform();
        using (var stream = file.CreateReadStream())
        using (var reader = XmlReader.Create(stream, ReaderSettings))
        {
            // No document() and no embedded script; nothing the stylesheet names is ever fetched.
            transform.Load(reader, new XsltSettings(enableDocumentFunction: false, enableScript: false), stylesheetResolver: null);
        }
        return new Stylesheet(transform, ContentSecurityPolicyFor(StyleOf(file)));
    }

    /// <summary>The text of the stylesheet's literal &lt;style&gt; element, which the html output method writes unescaped and unchanged.</summary>
    private static string StyleOf(Microsoft.Extensions.FileProviders.IFileInfo file)
    {
        using var stream = file.CreateReadStream();
        using var reader = XmlReader.Create(stream, ReaderSettings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "style" && reader.NamespaceURI.Length == 0)
            {
                return reader.ReadElementContentAsString();
            }
        }
        throw new InvalidOperationException("wwwroot/feed.xsl has no <style> element.");
    }
}

internal static class FeedBrowserViewRegistration
{
    /// <summary>Adds the HTML view to every feed endpoint of the group (see <see cref="FeedBrowserView"/>).</summary>
    public static RouteGroupBuilder WithBrowserView(this RouteGroupBuilder feeds)
    {
        // Resolved once per endpoint when the filter is built, not from each request's services.
        feeds.AddEndpointFilterFactory((factory, next) =>
        {
            var view = factory.ApplicationServices.GetRequiredService<FeedBrowserView>();
            return context => view.FilterAsync(context, next);
        });
        return feeds;
    }
}
