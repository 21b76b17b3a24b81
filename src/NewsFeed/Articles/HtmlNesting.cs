using System.Text.RegularExpressions;

namespace NewsFeed.Articles;

/// <summary>
/// HTML parsers (AngleSharp, under HtmlSanitizer) spend time quadratic in nesting depth; browsers stop
/// nesting at a few hundred levels (Chromium: 512) and so do we, before any parser sees the HTML.
/// Only hostile markup nests that deep.
/// </summary>
internal static partial class HtmlNesting
{
    public const int MaxDepth = 256;

    // Void elements (HTML Living Standard §13.1.2) never nest.
    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    };

    [GeneratedRegex(@"<(?<close>/)?(?<name>[A-Za-z][A-Za-z0-9-]{0,30})\b[^<>]*?(?<self>/)?>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    /// <summary>Whether some element would open deeper than <see cref="MaxDepth"/>.</summary>
    public static bool TooDeep(string html)
    {
        var depth = 0;
        foreach (Match tag in Tag().Matches(html))
        {
            if (VoidElements.Contains(tag.Groups["name"].Value) || tag.Groups["self"].Success) continue;
            depth = tag.Groups["close"].Success ? Math.Max(0, depth - 1) : depth + 1;
            if (depth > MaxDepth) return true;
        }
        return false;
    }

    /// <summary>
    /// The HTML with tags that would open deeper than <see cref="MaxDepth"/> removed (their text stays),
    /// and as many of the closing tags that follow.
    /// </summary>
    public static string Limit(string html)
    {
        var depth = 0;
        var dropped = 0;
        return Tag().Replace(html, tag =>
        {
            if (VoidElements.Contains(tag.Groups["name"].Value) || tag.Groups["self"].Success) return tag.Value;
            if (tag.Groups["close"].Success)
            {
                if (dropped > 0)
                {
                    dropped--;
                    return "";
                }
                depth = Math.Max(0, depth - 1);
                return tag.Value;
            }
            if (depth < MaxDepth)
            {
                depth++;
                return tag.Value;
            }
            dropped++;
            return "";
        });
    }
}
