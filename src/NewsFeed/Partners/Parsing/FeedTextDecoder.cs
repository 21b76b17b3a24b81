using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Turns the body's bytes into text, in the order of RFC 7303 §8 (feeds/partners/corpus/README.md says the same):
/// <list type="number">
/// <item>A byte order mark (UTF-8, UTF-16, UTF-32), or UTF-16 without one (XML 1.0 Appendix F).</item>
/// <item>The Content-Type charset, then the XML declaration's encoding. A label the bytes cannot be in
/// is passed over for the next one: UTF-8 on bytes that are not UTF-8 (a server's default in front of a
/// windows-1252 file), UTF-16/32 on bytes without their zero bytes. A single-byte Latin label
/// (ISO-8859-1/-15, windows-1252, US-ASCII) on bytes that are valid UTF-8 with non-ASCII in them is read
/// as UTF-8: no Latin text looks like that by chance, while a default label on UTF-8 is common.
/// ISO-8859-1 and US-ASCII mean windows-1252, as in browsers (WHATWG Encoding Standard).</item>
/// <item>Nothing usable declared: valid UTF-8 is UTF-8. Otherwise the UTF.Unknown detector (uchardet's
/// models) may name a CJK, Cyrillic, Greek, Hebrew, Arabic or Thai encoding; its guesses between Latin
/// single-byte encodings are not trusted (on short text they are often wrong, and windows-1252 agrees
/// with all of them on most letters). Then windows-1252, or, when the only label was a UTF-8 that the
/// bytes broke, UTF-8 with U+FFFD for the bad bytes.</item>
/// </list>
/// </summary>
internal static partial class FeedTextDecoder
{
    private const int DetectionSampleBytes = 64 * 1024;
    private const float MinimumConfidence = 0.5f;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The commonest encoding on the web after UTF-8; also how HTML reads references to 0x80-0x9F.</summary>
    public static readonly Encoding Windows1252 = RegisterCodePages();

    // Code pages of the labels read as windows-1252 (ISO-8859-1, US-ASCII) and of the other Latin labels
    // that default configurations put on UTF-8 (windows-1252, ISO-8859-15).
    private static readonly HashSet<int> LatinToWindows1252 = [28591, 20127];
    private static readonly HashSet<int> DefaultLatinLabels = [28591, 20127, 1252, 28605];

    // Scripts that windows-1252 can never be right for, and that the detector tells apart well.
    private static readonly HashSet<int> DetectableCodePages =
    [
        932, 51932, 50220, 936, 54936, 52936, 950, 51949, 949, 50225, // Japanese, Chinese, Korean
        20866, 21866, 1251, 28595, 866, 10007, // Cyrillic
        1253, 28597, 1255, 28598, 38598, 1256, 28596, 874, // Greek, Hebrew, Arabic, Thai
    ];

    // An explicit static constructor: the code pages are registered before any method here runs,
    // not merely before the first field access.
    static FeedTextDecoder()
    {
    }

    private static Encoding RegisterCodePages()
    {
        // .NET Core knows only UTF-*, ASCII and Latin-1 until the legacy code pages are registered.
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
        var utf8 = IsUtf8(bytes);
        var brokenUtf8Label = false;

        foreach (var name in new[] { Charset(contentType), declared })
        {
            if (name is null || Lookup(name, feed) is not { } encoding) continue;
            switch (encoding)
            {
                case UnicodeEncoding or UTF32Encoding:
                    // We checked above: these bytes are not UTF-16 or UTF-32. A copy-paste error.
                    feed.Warn($"The document is labelled {name} but is not encoded that way; the label was ignored.");
                    continue;
                case UTF8Encoding when !utf8:
                    brokenUtf8Label = true;
                    continue;
                case UTF8Encoding:
                    return Encoding.UTF8.GetString(bytes);
            }
            if (DefaultLatinLabels.Contains(encoding.CodePage) && utf8 && bytes.ContainsAnyExceptInRange((byte)0, (byte)0x7F))
            {
                feed.Warn($"The document is labelled {name} but is valid UTF-8; read as UTF-8.");
                return Encoding.UTF8.GetString(bytes);
            }
            return encoding.GetString(bytes);
        }

        if (utf8) return Encoding.UTF8.GetString(bytes);
        if (Detect(bytes) is { } detected)
        {
            feed.Warn($"The document declares no usable encoding and is not valid UTF-8; detected {detected.WebName}.");
            return detected.GetString(bytes);
        }
        if (brokenUtf8Label)
        {
            feed.Warn("The document is not valid UTF-8; bad bytes were replaced with U+FFFD.");
            return Encoding.UTF8.GetString(bytes);
        }
        // Nothing declared and not UTF-8: the commonest other encoding on the web.
        feed.Warn("The document declares no encoding and is not valid UTF-8; read as windows-1252.");
        return Windows1252.GetString(bytes);
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            StrictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The detector's answer, when it is confident and names a script windows-1252 cannot be.</summary>
    private static Encoding? Detect(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, DetectionSampleBytes)].ToArray();
        var best = UtfUnknown.CharsetDetector.DetectFromBytes(sample).Detected;
        if (best is null || best.Confidence < MinimumConfidence || best.EncodingName is null) return null;
        try
        {
            var encoding = Encoding.GetEncoding(best.EncodingName);
            return DetectableCodePages.Contains(encoding.CodePage) ? encoding : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
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
        try
        {
            var encoding = Encoding.GetEncoding(name.Equals("cp1252", StringComparison.OrdinalIgnoreCase) ? "windows-1252" : name);
            return LatinToWindows1252.Contains(encoding.CodePage) ? Windows1252 : encoding;
        }
        catch (ArgumentException)
        {
            feed.Warn($"Unknown encoding '{name}'; ignored.");
            return null;
        }
    }
}
