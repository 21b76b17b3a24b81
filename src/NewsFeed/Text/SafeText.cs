using System.Buffers;
using System.Text;
using System.Xml;

namespace NewsFeed.Text;

/// <summary>
/// Text made safe to serve in every format: what XML 1.0 forbids (C0 controls but tab/LF/CR, lone
/// surrogates, U+FFFE/U+FFFF) and the C1 controls it discourages are removed, so one bad article or partner
/// item can never break a whole feed (<c>XmlWriter</c> throws on them). JSON, the embeds and the partner
/// reader clean with it too, so every output carries the same text.
/// </summary>
internal static class SafeText
{
    /// <summary>Tab, LF, CR and printable ASCII: always safe.</summary>
    private static readonly SearchValues<char> SafeAscii = SearchValues.Create([.. "\t\n\r", .. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)]);

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var first = FirstUnsafe(text);
        if (first < 0) return text;

        var clean = new StringBuilder(text.Length);
        clean.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (IsSafe(c))
            {
                clean.Append(c);
            }
        }
        return clean.ToString();
    }

    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    private static int FirstUnsafe(string text)
    {
        // Vectorized over the printable ASCII that is nearly all of any feed; every other character is judged one by one.
        for (var i = 0; i < text.Length; i++)
        {
            var skip = text.AsSpan(i).IndexOfAnyExcept(SafeAscii);
            if (skip < 0) return -1;
            i += skip;
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (!IsSafe(c))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsSafe(char c) => XmlConvert.IsXmlChar(c) && c is not (>= '\u007F' and <= '\u009F');
}
