using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Turns the body's bytes into text. Order of trust: a byte order mark, then the XML declaration's
/// encoding, then the Content-Type charset, then UTF-8. The declaration beats the header because a
/// partner's feed file travels with its declaration while the server's header is often a default
/// (RFC 7303 says the opposite; real feeds are more often right inside than outside).
/// </summary>
internal static partial class FeedTextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The commonest encoding on the web after UTF-8; also how HTML reads references to 0x80-0x9F.</summary>
    public static readonly Encoding Windows1252 = RegisterCodePages();

    // An explicit static constructor: the code pages are registered before any method here runs,
    // not merely before the first field access.
    static FeedTextDecoder()
    {
    }

    private static Encoding RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    [GeneratedRegex("""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']?(?<name>[A-Za-z0-9._:-]{1,40})""", RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredEncoding();

    public static string Decode(ReadOnlySpan<byte> bytes, string? contentType, PartnerFeedBuilder feed)
    {
        if (Bom(bytes) is { } bom) return bom.Encoding.GetString(bytes[bom.Length..]);

        // UTF-16 without a mark still starts "<" (XML 1.0 Appendix F).
        if (bytes.Length >= 4 && bytes[0] == '<' && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0) return Encoding.Unicode.GetString(bytes);
        if (bytes.Length >= 4 && bytes[0] == 0 && bytes[1] == '<' && bytes[2] == 0 && bytes[3] != 0) return Encoding.BigEndianUnicode.GetString(bytes);

        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 1_024)]);
        var declared = DeclaredEncoding().Match(head) is { Success: true } m ? m.Groups["name"].Value : null;
        var name = declared ?? Charset(contentType);
        var encoding = name is null ? null : Lookup(name, feed);

        // A declaration of UTF-16/32 on bytes that are not (we checked above) is a copy-paste error.
        if (encoding is UnicodeEncoding or UTF32Encoding)
        {
            feed.Warn($"The document declares {name} but is not encoded that way; read as UTF-8.");
            encoding = null;
        }

        if (encoding is null or UTF8Encoding)
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                if (name is null)
                {
                    // Nothing declared and not UTF-8: the commonest other encoding on the web.
                    feed.Warn("The document declares no encoding and is not valid UTF-8; read as windows-1252.");
                    return Windows1252.GetString(bytes);
                }
                feed.Warn("The document is not valid UTF-8; bad bytes were replaced with U+FFFD.");
                return Encoding.UTF8.GetString(bytes);
            }
        }
        return encoding.GetString(bytes);
    }

    private static (Encoding Encoding, int Length)? Bom(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
        [0xFF, 0xFE, 0, 0, ..] => (Encoding.UTF32, 4),
        [0, 0, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4),
        [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
        [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
        _ => null,
    };

    private static string? Charset(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && !string.IsNullOrWhiteSpace(media.CharSet)
            ? media.CharSet.Trim('"', '\'', ' ')
            : null;

    private static Encoding? Lookup(string name, PartnerFeedBuilder feed)
    {
        // As browsers do (WHATWG Encoding Standard), Latin-1 and ASCII labels mean windows-1252: feeds
        // that say iso-8859-1 routinely carry its curly quotes and dashes in 0x80-0x9F.
        if (name.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase) || name.Equals("latin1", StringComparison.OrdinalIgnoreCase)
            || name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || name.Equals("ascii", StringComparison.OrdinalIgnoreCase))
        {
            return Windows1252;
        }
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            feed.Warn($"Unknown encoding '{name}'; read as UTF-8.");
            return null;
        }
    }
}
