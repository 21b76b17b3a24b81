using AngleSharp.Dom;
using Ganss.Xss;

namespace NewsFeed.Articles;

/// <summary>
/// The one HTML policy for what we publish: our article bodies and partner items alike. An allow-list (the
/// library's defaults already drop script, object, embed, meta, link, base, event handlers and
/// javascript:/vbscript:/data: URLs in any spelling), narrowed to what a feed reader shows: no forms or their
/// controls, no inline styles or style sheets (CSS can exfiltrate and overlay), no id or class, and only schemes a
/// reader can follow. Media a reader plays is kept: <c>&lt;video&gt;</c> and <c>&lt;audio&gt;</c> with http(s)
/// sources, and <c>&lt;iframe&gt;</c> players from <see cref="ContentOptions.EmbedHosts"/>, sandboxed. Any other
/// iframe leaves a link to its source in its place, so a story never says "Video:" and then nothing.
/// </summary>
internal sealed class ContentSanitizer
{
    /// <summary>
    /// What a kept player may do: run its own script on its own origin, go fullscreen, open the video's page.
    /// Not allow-top-navigation or forms: it never moves the reader's page.
    /// </summary>
    internal const string PlayerSandbox = "allow-scripts allow-same-origin allow-presentation allow-popups";

    private static readonly string[] FormTags =
        ["form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend", "datalist", "output", "keygen"];

    private readonly HtmlSanitizer _sanitizer;
    private readonly Uri[] _players;

    public ContentSanitizer(ContentOptions options)
    {
        _players = [.. options.EmbedHosts.Select(ContentOptions.PrefixOf).OfType<Uri>()];
        _sanitizer = new HtmlSanitizer();
        _sanitizer.AllowedSchemes.Clear();
        _sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        _sanitizer.AllowedTags.ExceptWith([.. FormTags, "style"]);
        _sanitizer.AllowedTags.UnionWith(["figure", "figcaption", "iframe", "video", "audio", "source", "track"]);
        _sanitizer.AllowedAttributes.ExceptWith(["style", "id", "class", "action", "formaction"]);
        _sanitizer.AllowedAttributes.UnionWith(["allowfullscreen", "controls", "poster", "preload", "loop", "muted", "playsinline", "kind", "srclang", "default"]);
        _sanitizer.UriAttributes.UnionWith(["poster"]);
        _sanitizer.AllowedCssProperties.Clear();
        _sanitizer.AllowedAtRules.Clear();
        // After the allow-list has run, so every src is already absolute and of an allowed scheme.
        _sanitizer.PostProcessDom += (_, e) => KeepPlayableMedia(e.Document);
    }

    /// <summary>The policy with the default settings, for code that has no configuration (tools, tests, the parser's default).</summary>
    public static ContentSanitizer Default { get; } = new(new ContentOptions());

    /// <summary><paramref name="html"/> through the policy, relative URLs made absolute against <paramref name="baseUrl"/>.</summary>
    public string Sanitize(string html, string baseUrl) => _sanitizer.Sanitize(html, baseUrl);

    private void KeepPlayableMedia(IDocument document)
    {
        foreach (var frame in document.QuerySelectorAll("iframe").ToList())
        {
            var src = HttpUrl(frame.GetAttribute("src"));
            if (src is not null && IsPlayer(src))
            {
                // The sandbox and fullscreen are ours to set, whatever the source said; srcdoc never (it is inline HTML).
                // The address written is the one checked, in its normalized form, so a browser cannot read it otherwise.
                frame.SetAttribute("src", src.AbsoluteUri);
                frame.RemoveAttribute("srcdoc");
                frame.SetAttribute("sandbox", PlayerSandbox);
                frame.SetAttribute("allowfullscreen", "");
                frame.TextContent = "";
                continue;
            }
            ReplaceWithLink(document, frame, src);
        }
        foreach (var source in document.QuerySelectorAll("source, track").ToList())
        {
            if (HttpUrl(source.GetAttribute("src")) is null) source.Remove();
        }
        foreach (var media in document.QuerySelectorAll("video, audio").ToList())
        {
            if (HttpUrl(media.GetAttribute("src")) is null) media.RemoveAttribute("src");
            if (media.HasAttribute("poster") && HttpUrl(media.GetAttribute("poster")) is null) media.RemoveAttribute("poster");
            if (!media.HasAttribute("src") && media.QuerySelector("source") is null)
            {
                media.Remove(); // nothing a reader could play
                continue;
            }
            // Without controls (and autoplay is not allowed) a video is a still picture.
            media.SetAttribute("controls", "");
        }
    }

    private bool IsPlayer(Uri src) =>
        src.Scheme == Uri.UriSchemeHttps && src.IsDefaultPort && src.UserInfo.Length == 0
        && _players.Any(player => string.Equals(src.IdnHost, player.IdnHost, StringComparison.OrdinalIgnoreCase)
            && src.AbsolutePath.StartsWith(player.AbsolutePath, StringComparison.Ordinal));

    /// <summary>A removed embed leaves its address, as a link when it is http(s), so the reader can still follow it.</summary>
    private static void ReplaceWithLink(IDocument document, IElement embed, Uri? src)
    {
        if (src is null)
        {
            embed.Remove();
            return;
        }
        var link = document.CreateElement("a");
        link.SetAttribute("href", src.AbsoluteUri);
        link.TextContent = src.AbsoluteUri;
        embed.Replace(link);
    }

    private static Uri? HttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}
