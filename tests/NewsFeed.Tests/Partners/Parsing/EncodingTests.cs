using System.Text;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Bytes to text: byte order mark, then XML declaration, then Content-Type charset, then UTF-8.</summary>
public class EncodingTests
{
    static EncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] Encode(string text, int codePage) => Encoding.GetEncoding(codePage).GetBytes(text);

    [Fact]
    public void Parse_Windows1252SmartQuotes_DecodedByDeclaration()
    {
        var bytes = Encode(Rss("<title>\u201cQuoted\u201d \u2013 caf\u00e9 \u20ac5</title>").Replace("utf-8", "windows-1252", StringComparison.Ordinal), 1252);
        Assert.Contains((byte)0x93, bytes);

        var feed = Parse(bytes, contentType: "application/rss+xml; charset=utf-8");

        Assert.Equal("\u201cQuoted\u201d \u2013 caf\u00e9 \u20ac5", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void Parse_Iso88591_DecodedWithCurlyQuotesAsBrowsersDo()
    {
        var xml = Rss("<title>Ni\u00f1o~s cr\u00e8me</title>").Replace("utf-8", "ISO-8859-1", StringComparison.Ordinal);
        // A real "iso-8859-1" feed with a windows-1252 curly apostrophe (0x92) in it.
        var bytes = Encode(xml, 28591).Select(b => b == (byte)'~' ? (byte)0x92 : b).ToArray();

        var feed = Parse(bytes);

        Assert.Equal("Ni\u00f1o\u2019s cr\u00e8me", Assert.Single(feed.Items).Title);
        Assert.Empty(feed.Warnings);
    }

    [Fact]
    public void Parse_CharsetOnlyInContentType_IsHonoured()
    {
        var bytes = Encode(Rss("<title>\u00dcber</title>").Replace(" encoding=\"utf-8\"", "", StringComparison.Ordinal), 1252);

        var feed = Parse(bytes, contentType: "text/xml; charset=\"windows-1252\"");

        Assert.Equal("\u00dcber", Assert.Single(feed.Items).Title);
        Assert.Empty(feed.Warnings);
    }

    [Fact]
    public void Parse_Utf8BytesUnderALatinContentTypeCharset_ReadAsUtf8()
    {
        // The document declares UTF-8 too, but the HTTP charset comes first (RFC 7303): what reads it right is
        // the rule that a single-byte Latin label on valid non-ASCII UTF-8 means UTF-8.
        var bytes = Encoding.UTF8.GetBytes(Rss("<title>\u00e9t\u00e9</title>"));

        var feed = Parse(bytes, contentType: "text/xml; charset=iso-8859-1");

        Assert.Equal("\u00e9t\u00e9", Assert.Single(feed.Items).Title);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Parse_Utf16WithBom_Decoded(bool bigEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var xml = Rss("<title>\u05e9\u05dc\u05d5\u05dd \u4e16\u754c \U0001F600</title>").Replace("utf-8", "utf-16", StringComparison.Ordinal);
        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(xml)];

        var feed = Parse(bytes, contentType: "text/xml; charset=utf-8");

        Assert.Equal("\u05e9\u05dc\u05d5\u05dd \u4e16\u754c \U0001F600", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void Parse_BomAndWhitespaceBeforeDeclaration_Accepted()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("\r\n\n   \t" + Rss("<title>ok</title>"))];

        var feed = Parse(bytes);

        Assert.Equal("ok", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void Parse_UnknownEncoding_FallsBackToUtf8WithWarning()
    {
        var feed = Parse(Rss("<title>\u00e9</title>").Replace("utf-8", "x-martian-7", StringComparison.Ordinal));

        Assert.Equal("\u00e9", Assert.Single(feed.Items).Title);
        Assert.Contains(feed.Warnings, w => w.Contains("Unknown encoding 'x-martian-7'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UndeclaredNonUtf8Bytes_ReadAsWindows1252WithWarning()
    {
        var bytes = Encode(Rss("<title>caf\u00e9</title>").Replace(" encoding=\"utf-8\"", "", StringComparison.Ordinal), 1252);

        var feed = Parse(bytes);

        Assert.Equal("caf\u00e9", Assert.Single(feed.Items).Title);
        Assert.Contains(feed.Warnings, w => w.Contains("windows-1252", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_JsonFeedWithBom_Decoded()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"\u00e9"}]}""")];

        Assert.Equal("\u00e9", Assert.Single(Parse(bytes).Items).Title);
    }

    [Theory]
    [InlineData("ISO-8859-1", null)]
    [InlineData(null, "text/xml; charset=iso-8859-1")]
    [InlineData("windows-1252", null)]
    [InlineData("iso-8859-15", null)]
    [InlineData("US-ASCII", "application/rss+xml")]
    public void Parse_Utf8LabelledLatin_ReadAsUtf8(string? declared, string? contentType)
    {
        var xml = Rss("<title>caf\u00e9 cr\u00e8me \u2013 \u20ac5</title>");
        xml = declared is null ? xml.Replace(" encoding=\"utf-8\"", "", StringComparison.Ordinal) : xml.Replace("utf-8", declared, StringComparison.Ordinal);

        var feed = Parse(Encoding.UTF8.GetBytes(xml), contentType);

        Assert.Equal("caf\u00e9 cr\u00e8me \u2013 \u20ac5", Assert.Single(feed.Items).Title);
        Assert.Contains(feed.Warnings, w => w.Contains("but is valid UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ContentTypeCharset_BeatsTheDeclaration()
    {
        // RFC 7303 §8: the charset parameter first. KOI8-R bytes, wrongly declared windows-1251 inside.
        var bytes = Encode(Rss("<title>\u041d\u043e\u0432\u043e\u0441\u0442\u0438</title>").Replace("utf-8", "windows-1251", StringComparison.Ordinal), 20866);

        var feed = Parse(bytes, contentType: "application/rss+xml; charset=koi8-r");

        Assert.Equal("\u041d\u043e\u0432\u043e\u0441\u0442\u0438", Assert.Single(feed.Items).Title);
    }

    public static TheoryData<int, string> UndeclaredLegacy() => new()
    {
        { 51932, "\u5e02\u8b70\u4f1a\u306f\u6708\u66dc\u65e5\u306e\u591c\u3001\u5d50\u4ee5\u6765\u9589\u9396\u3055\u308c\u3066\u3044\u308b\u6e2f\u306e\u6a4b\u306b\u3064\u3044\u3066\u8a71\u3057\u5408\u3063\u305f\u3002" },
        { 932, "\u65b0\u3057\u3044\u56f3\u66f8\u9928\u304c\u99c5\u524d\u306b\u958b\u9928\u3057\u3001\u521d\u65e5\u306b\u306f\u591a\u304f\u306e\u5e02\u6c11\u304c\u8a2a\u308c\u305f\u3002" },
        { 936, "\u5e02\u653f\u5e9c\u5ba3\u5e03\u5c06\u5728\u660e\u5e74\u6625\u5b63\u6269\u5efa\u6e2f\u53e3\uff0c\u4ee5\u6ee1\u8db3\u65e5\u76ca\u589e\u957f\u7684\u8d27\u8fd0\u9700\u6c42\u3002" },
        { 51949, "\uc2dc\uc758\ud68c\ub294 \uc6d4\uc694\uc77c \uc800\ub141 \ud3ed\ud48d \uc774\ud6c4 \ud3d0\uc1c4\ub41c \ud56d\uad6c \ub2e4\ub9ac\uc5d0 \ub300\ud574 \ub17c\uc758\ud588\ub2e4." },
        { 20866, "\u0413\u043e\u0440\u043e\u0434\u0441\u043a\u043e\u0439 \u0441\u043e\u0432\u0435\u0442 \u0432 \u043f\u043e\u043d\u0435\u0434\u0435\u043b\u044c\u043d\u0438\u043a \u0432\u0435\u0447\u0435\u0440\u043e\u043c \u043e\u0431\u0441\u0443\u0434\u0438\u043b \u0440\u0435\u043c\u043e\u043d\u0442 \u043c\u043e\u0441\u0442\u0430 \u0432 \u043f\u043e\u0440\u0442\u0443." },
    };

    [Theory]
    [MemberData(nameof(UndeclaredLegacy))]
    public void Parse_UndeclaredLegacyEncoding_Detected(int codePage, string title)
    {
        var xml = Rss($"<title>{title}</title><description>{title} {title}</description>").Replace(" encoding=\"utf-8\"", "", StringComparison.Ordinal);

        var feed = Parse(Encode(xml, codePage));

        Assert.Equal(title, Assert.Single(feed.Items).Title);
        Assert.Contains(feed.Warnings, w => w.Contains("detected", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DeclaredLegacyEncoding_ReadWithoutDetection()
    {
        const string title = "\u65b0\u3057\u3044\u56f3\u66f8\u9928";
        var bytes = Encode(Rss($"<title>{title}</title>").Replace("utf-8", "Shift_JIS", StringComparison.Ordinal), 932);

        var feed = Parse(bytes);

        Assert.Equal(title, Assert.Single(feed.Items).Title);
        Assert.Empty(feed.Warnings);
    }

    [Fact]
    public void Parse_Utf8LabelOnBytesThatAreNot_ReplacementCharactersWithWarning()
    {
        var bytes = Encode(Rss("<title>caf\u00e9</title>"), 1252);

        var feed = Parse(bytes, contentType: "application/rss+xml; charset=utf-8");

        Assert.Equal("caf\uFFFD", Assert.Single(feed.Items).Title);
        Assert.Contains(feed.Warnings, w => w.Contains("U+FFFD", StringComparison.Ordinal));
    }
}
