using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using NewsFeed.Articles;
using NewsFeed.Text;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Makes partner text safe to store and serve: HTML through an allow-list, titles and summaries as
/// plain text, every field XML-safe and capped without splitting a surrogate pair.
/// </summary>
internal static partial class PartnerText
{
    private const int DerivedTitleLength = 80;

    // Elements whose text is not prose (and must never leak into a title as text).
    private static readonly HashSet<string> NotText = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "template", "noscript", "iframe", "object", "embed", "head", "title", "svg", "math",
    };

    // Elements that separate words when HTML becomes text: "<p>a</p><p>b</p>" reads "a b", not "ab".
    private static readonly HashSet<string> Breaks = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
        "blockquote", "pre", "figure", "figcaption", "section", "article", "header", "footer", "hr", "dd", "dt", "img",
    };

    /// <summary>
    /// HTML through the allow-list (<paramref name="policy"/>, the one our own articles go through), relative URLs
    /// made absolute against <paramref name="baseUri"/>, at most <paramref name="maxLength"/> characters; null when
    /// nothing visible is left.
    /// </summary>
    public static string? SanitizeHtml(string html, Uri baseUri, int maxLength, ContentSanitizer policy)
    {
        // Cut the input first so the sanitizer's work is bounded. Its output can be longer than its
        // input (escaping, closing tags, absolute URLs), so then cut the input in proportion until it fits.
        var budget = maxLength;
        for (var attempt = 0; attempt < 5 && budget > 0; attempt++)
        {
            var clean = SafeText.Clean(policy.Sanitize(HtmlNesting.Limit(Truncate(html, budget)), baseUri.AbsoluteUri)).Trim();
            if (clean.Length <= maxLength) return clean.Length == 0 ? null : clean;
            budget = (int)((long)budget * maxLength / clean.Length) - 16;
        }
        return null;
    }

    /// <summary>The words a reader would see in an HTML fragment: tags dropped, entities decoded, whitespace collapsed.</summary>
    public static string HtmlToText(string html, int maxLength)
    {
        // Text is never longer than its HTML, so a generous cut first bounds the parse.
        var document = new HtmlParser().ParseDocument(HtmlNesting.Limit(Truncate(html, maxLength * 4 + 1_024)));
        var text = new StringBuilder();
        // Walked with an explicit stack: partner HTML can nest deeper than the call stack would allow.
        var pending = new Stack<INode>();
        pending.Push(document.Body ?? (INode)document);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is IText t)
            {
                text.Append(t.Data);
                continue;
            }
            if (node is IElement element)
            {
                if (NotText.Contains(element.LocalName)) continue;
                if (Breaks.Contains(element.LocalName)) text.Append(' ');
            }
            for (var i = node.ChildNodes.Length - 1; i >= 0; i--) pending.Push(node.ChildNodes[i]);
        }
        return PlainText(text.ToString(), maxLength);
    }

    /// <summary>Whether sanitized HTML shows anything: words, or a picture, video or sound.</summary>
    public static bool ShowsAnything(string html)
    {
        var body = new HtmlParser().ParseDocument(html).Body;
        return body is not null && (!string.IsNullOrWhiteSpace(body.TextContent) || body.QuerySelector("img[src], picture, video, audio") is not null);
    }

    /// <summary>Plain text as stored: XML-safe, whitespace runs as one space, trimmed, capped.</summary>
    public static string PlainText(string text, int maxLength)
    {
        var collapsed = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var space = false;
        foreach (var c in SafeText.Clean(text))
        {
            if (char.IsWhiteSpace(c))
            {
                space = collapsed.Length > 0;
                continue;
            }
            if (space) collapsed.Append(' ');
            space = false;
            collapsed.Append(c);
            if (collapsed.Length > maxLength) break;
        }
        return Truncate(collapsed.ToString(), maxLength);
    }

    /// <summary>Plain text shown as HTML: escaped, one paragraph per blank-line-separated block.</summary>
    public static string TextToHtml(string text) =>
        string.Concat(text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => "<p>" + WebUtility.HtmlEncode(p) + "</p>"));

    /// <summary>A title for an item that has none: the start of its text, cut at a word.</summary>
    public static string DeriveTitle(string text)
    {
        if (text.Length <= DerivedTitleLength) return text;
        var cut = Truncate(text, DerivedTitleLength);
        var space = cut.LastIndexOf(' ');
        return (space > DerivedTitleLength / 2 ? cut[..space] : cut).TrimEnd() + "…";
    }

    /// <summary>At most <paramref name="maxLength"/> UTF-16 units, never ending inside a surrogate pair.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        var cut = Math.Max(0, maxLength);
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut];
    }
}
