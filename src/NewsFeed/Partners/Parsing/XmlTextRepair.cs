using System.Buffers;
using System.Globalization;
using System.Text;
using AngleSharp.Html;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// One pass over the text before any XML parser sees it. It removes what must never be processed
/// (DOCTYPE with its entity declarations, so no DTD, external entity or entity expansion can
/// happen) and repairs the mistakes real feeds make that have one obvious meaning: HTML named
/// entities XML does not know, bare ampersands and less-than signs, characters XML forbids, junk
/// before the root. Removed spans keep their line breaks, so error line numbers match the original.
/// </summary>
internal static class XmlTextRepair
{
    private static readonly HashSet<string> XmlEntities = ["amp", "lt", "gt", "quot", "apos"];
    private static readonly SearchValues<char> NameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    private const int MaxReferenceLength = 40;

    public static string Repair(string text, PartnerFeedBuilder feed)
    {
        var output = new StringBuilder(text.Length + 256);
        var i = SkipPreamble(text, output, feed);
        var removed = 0;
        var unknown = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<')
            {
                if (At(text, i, "<![CDATA[")) i = CopyCData(text, i, output, ref removed);
                else if (At(text, i, "<!--")) i = Drop(text, i, "-->", output);
                else if (At(text, i, "<!DOCTYPE", StringComparison.OrdinalIgnoreCase)) i = DropDoctype(text, i, output);
                else if (At(text, i, "<?")) i = Drop(text, i, "?>", output);
                else
                {
                    // "<" that cannot start markup ("a < b", "<3") is text.
                    var next = i + 1 < text.Length ? text[i + 1] : ' ';
                    output.Append(next is '/' or '!' or '_' or ':' || char.IsLetter(next) ? "<" : "&lt;");
                    i++;
                }
            }
            else if (c == '&')
            {
                i = RepairReference(text, i, output, ref removed, ref unknown);
            }
            else
            {
                i = CopyChar(text, i, output, ref removed);
            }
        }
        if (removed > 0) feed.Warn($"Removed {removed} characters that XML does not allow.");
        if (unknown > 0) feed.Warn($"Kept {unknown} unknown entity references as text.");
        return output.ToString();
    }

    /// <summary>Whitespace, byte order marks and junk (a server's warning text) before the document, and the XML declaration.</summary>
    private static int SkipPreamble(string text, StringBuilder output, PartnerFeedBuilder feed)
    {
        var declaration = text.IndexOf("<?xml", 0, Math.Min(text.Length, 4_096), StringComparison.Ordinal);
        var start = declaration >= 0 ? declaration : text.IndexOf('<', StringComparison.Ordinal);
        if (start < 0) start = text.Length;
        if (text.AsSpan(0, start).ContainsAnyExcept(" \t\r\n\uFEFF"))
        {
            feed.Warn($"Ignored {start} characters before the XML document.");
        }
        AppendLineBreaks(text, 0, start, output);
        if (declaration == start && start + 5 < text.Length && char.IsWhiteSpace(text[start + 5]))
        {
            // The text is already decoded, so the declared encoding has done its work.
            return Drop(text, start, "?>", output);
        }
        return start;
    }

    private static int RepairReference(string text, int i, StringBuilder output, ref int removed, ref int unknown)
    {
        var end = text.IndexOf(';', i + 1, Math.Min(MaxReferenceLength, text.Length - i - 1));
        var name = end > i + 1 ? text.AsSpan(i + 1, end - i - 1) : [];
        if (name.Length > 1 && name[0] == '#')
        {
            if (ParseCodePoint(name[1..]) is { } code)
            {
                if (IsXmlChar(code)) output.Append(CultureInfo.InvariantCulture, $"&#{code};");
                else removed++;
                return end + 1;
            }
        }
        else if (name.Length > 0 && char.IsAsciiLetter(name[0]) && !name.ContainsAnyExcept(NameChars))
        {
            var entity = name.ToString();
            if (XmlEntities.Contains(entity))
            {
                output.Append('&').Append(entity).Append(';');
                return end + 1;
            }
            // The full HTML5 named set (AngleSharp, which HtmlSanitizer is built on), written as
            // character references so "&AMP;" or "&lt;"-like results stay text.
            if (HtmlEntityProvider.Resolver.GetSymbol(entity + ";") is { Length: > 0 } symbol)
            {
                foreach (var rune in symbol.EnumerateRunes()) output.Append(CultureInfo.InvariantCulture, $"&#{rune.Value};");
                return end + 1;
            }
            unknown++;
        }
        output.Append("&amp;");
        return i + 1;
    }

    private static int? ParseCodePoint(ReadOnlySpan<char> digits)
    {
        var hex = digits.Length > 1 && digits[0] is 'x' or 'X';
        if (!int.TryParse(hex ? digits[1..] : digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return null;
        // HTML reads references to 0x80-0x9F as windows-1252 (curly quotes, dashes), and so do feed readers.
        return code is >= 0x80 and <= 0x9F ? FeedTextDecoder.Windows1252.GetString(new[] { (byte)code })[0] : code;
    }

    private static int CopyChar(string text, int i, StringBuilder output, ref int removed)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            output.Append(c).Append(text[i + 1]);
            return i + 2;
        }
        if (IsXmlChar(c)) output.Append(c);
        else removed++;
        return i + 1;
    }

    private static int CopyCData(string text, int i, StringBuilder output, ref int removed)
    {
        var close = text.IndexOf("]]>", i, StringComparison.Ordinal);
        var end = close < 0 ? text.Length : close + 3;
        var j = i;
        while (j < end) j = CopyChar(text, j, output, ref removed);
        return end;
    }

    /// <summary>Removes a DOCTYPE and its internal subset, whose entity declarations are never read.</summary>
    private static int DropDoctype(string text, int i, StringBuilder output)
    {
        var j = i + "<!DOCTYPE".Length;
        var quote = '\0';
        var subset = false;
        while (j < text.Length)
        {
            var c = text[j];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (subset && At(text, j, "<!--"))
            {
                var close = text.IndexOf("-->", j, StringComparison.Ordinal);
                j = close < 0 ? text.Length : close + 3;
                continue;
            }
            else if (c is '"' or '\'') quote = c;
            else if (c == '[') subset = true;
            else if (c == ']') subset = false;
            else if (c == '>' && !subset)
            {
                j++;
                break;
            }
            j++;
        }
        AppendLineBreaks(text, i, j, output);
        return j;
    }

    private static int Drop(string text, int i, string terminator, StringBuilder output)
    {
        var close = text.IndexOf(terminator, i, StringComparison.Ordinal);
        var end = close < 0 ? text.Length : close + terminator.Length;
        AppendLineBreaks(text, i, end, output);
        return end;
    }

    private static void AppendLineBreaks(string text, int start, int end, StringBuilder output)
    {
        var lines = text.AsSpan(start, end - start).Count('\n');
        output.Append('\n', lines);
    }

    private static bool At(string text, int i, string token, StringComparison comparison = StringComparison.Ordinal) =>
        text.AsSpan(i).StartsWith(token, comparison);

    // XML 1.0 §2.2 Char.
    private static bool IsXmlChar(int c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
}
