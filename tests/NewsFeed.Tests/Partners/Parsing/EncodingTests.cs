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
    public void Parse_XmlDeclaration_BeatsContentTypeCharset()
    {
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
}
