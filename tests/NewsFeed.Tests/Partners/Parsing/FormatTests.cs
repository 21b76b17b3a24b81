using NewsFeed.Partners;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Each format and version, told apart by the document and not by the Content-Type.</summary>
public class FormatTests
{
    [Fact]
    public void Parse_Rss20WithExtensions_ReadsEveryField()
    {
        var feed = Parse(Rss("""
            <title>Harbour &amp; bridge reopen</title>
            <link>https://partner.example.org/2026/11/harbour</link>
            <guid isPermaLink="false">partner-4411</guid>
            <description>The &lt;b&gt;harbour&lt;/b&gt; reopened.</description>
            <content:encoded><![CDATA[<p>The harbour <b>reopened</b> today.</p>]]></content:encoded>
            <dc:creator>Ana Lima</dc:creator>
            <pubDate>Mon, 23 Nov 2026 08:15:00 GMT</pubDate>
            <category>Transport</category><category>City</category>
            <media:content url="https://cdn.partner.example.org/harbour.jpg" medium="image" />
            """), contentType: "text/html");

        Assert.Equal("RSS 2.0", feed.Format);
        Assert.Equal("Partner News", feed.Title);
        Assert.Equal("https://partner.example.org/", feed.Link);
        var item = Assert.Single(feed.Items);
        Assert.Equal("partner-4411", item.Key);
        Assert.Equal("Harbour & bridge reopen", item.Title);
        Assert.Equal("https://partner.example.org/2026/11/harbour", item.Url);
        Assert.Equal("The harbour reopened.", item.SummaryText);
        Assert.Equal("<p>The harbour <b>reopened</b> today.</p>", item.ContentHtml);
        Assert.Equal("Ana Lima", item.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 15, 0, TimeSpan.Zero), item.Published);
        Assert.Equal(["Transport", "City"], item.Categories);
        Assert.Equal("https://cdn.partner.example.org/harbour.jpg", item.ImageUrl);
        Assert.Empty(feed.Warnings);
    }

    [Theory]
    [InlineData("0.91")]
    [InlineData("0.92")]
    public void Parse_Rss09x_ReadsItemsWithoutGuidOrDates(string version)
    {
        var feed = Parse($"""
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
            <rss version="{version}">
              <channel>
                <title>Old Partner</title><link>http://old.example.net/</link><description>d</description><language>en-us</language>
                <image><title>Logo</title><url>http://old.example.net/logo.gif</url><link>http://old.example.net/</link></image>
                <item><title>First story</title><link>http://old.example.net/1.html</link><description>One.</description></item>
                <item><title>Second story</title><link>http://old.example.net/2.html</link></item>
              </channel>
            </rss>
            """);

        Assert.Equal("RSS " + version, feed.Format);
        Assert.Equal("Old Partner", feed.Title);
        Assert.Equal(["http://old.example.net/1.html", "http://old.example.net/2.html"], feed.Items.Select(i => i.Key));
        Assert.All(feed.Items, i => Assert.Null(i.Published));
    }

    [Fact]
    public void Parse_Rss10Rdf_ReadsItemsBesideTheChannel()
    {
        var feed = Parse("""
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://rdf.example.com/">
                <title>RDF Partner</title><link>https://rdf.example.com/</link><description>d</description>
                <items><rdf:Seq><rdf:li rdf:resource="https://rdf.example.com/a"/></rdf:Seq></items>
              </channel>
              <item rdf:about="https://rdf.example.com/a">
                <title>Council votes</title>
                <link>https://rdf.example.com/a</link>
                <description>The council voted.</description>
                <dc:date>2026-11-22T09:30:00+01:00</dc:date>
                <dc:creator>J. Doe</dc:creator>
                <dc:subject>Politics</dc:subject>
              </item>
            </rdf:RDF>
            """);

        Assert.Equal("RSS 1.0", feed.Format);
        Assert.Equal("RDF Partner", feed.Title);
        var item = Assert.Single(feed.Items);
        Assert.Equal("https://rdf.example.com/a", item.Key);
        Assert.Equal("Council votes", item.Title);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.Zero), item.Published);
        Assert.Equal("J. Doe", item.Author);
        Assert.Equal(["Politics"], item.Categories);
    }

    [Fact]
    public void Parse_Atom_ReadsTextConstructsByType()
    {
        var feed = Parse(Atom(
            """
            <id>tag:partner.example.org,2026:1</id>
            <title type="html">Tom &amp;amp; Jerry &lt;em&gt;return&lt;/em&gt;</title>
            <link rel="self" href="https://partner.example.org/api/1"/>
            <link rel="alternate" type="text/html" href="https://partner.example.org/1"/>
            <published>2026-11-20T08:00:00Z</published>
            <updated>2026-11-21T08:00:00-05:00</updated>
            <author><name>Ray</name></author>
            <category term="tv" label="Television"/>
            <summary type="text">A &lt;classic&gt; returns.</summary>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>It is <strong>back</strong>.</p></div></content>
            """,
            """
            <id>tag:partner.example.org,2026:2</id>
            <title>Plain &lt;b&gt; title</title>
            <link href="https://partner.example.org/2"/>
            <updated>2026-11-21T09:00:00Z</updated>
            <content type="html">&lt;p&gt;Escaped &lt;i&gt;HTML&lt;/i&gt;&lt;/p&gt;</content>
            """));

        Assert.Equal("Atom 1.0", feed.Format);
        Assert.Equal("Partner Atom", feed.Title);
        var first = feed.Items[0];
        Assert.Equal("tag:partner.example.org,2026:1", first.Key);
        Assert.Equal("Tom & Jerry return", first.Title);
        Assert.Equal("https://partner.example.org/1", first.Url);
        Assert.Equal("A <classic> returns.", first.SummaryText);
        Assert.Equal("<p>It is <strong>back</strong>.</p>", first.ContentHtml);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 13, 0, 0, TimeSpan.Zero), first.Updated);
        Assert.Equal("Ray", first.Author);
        Assert.Equal(["Television"], first.Categories);
        var second = feed.Items[1];
        Assert.Equal("Plain <b> title", second.Title);
        Assert.Equal("https://partner.example.org/2", second.Url);
        Assert.Equal("<p>Escaped <i>HTML</i></p>", second.ContentHtml);
        Assert.Null(second.Published);
    }

    [Fact]
    public void Parse_AtomXmlBase_ResolvesLinksAndContentAgainstIt()
    {
        var feed = Parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.com/base/">
              <title>t</title>
              <entry xml:base="posts/">
                <id>urn:x:1</id><title>t</title>
                <link href="hello.html"/>
                <link rel="enclosure" type="image/png" href="/img/a.png"/>
                <content type="html" xml:base="https://media.example.com/m/">&lt;img src="pic.jpg"&gt;&lt;a href="../up.html"&gt;up&lt;/a&gt;</content>
              </entry>
            </feed>
            """);

        var item = Assert.Single(feed.Items);
        Assert.Equal("https://blog.example.com/base/posts/hello.html", item.Url);
        Assert.Equal("https://blog.example.com/img/a.png", item.ImageUrl);
        Assert.Contains("src=\"https://media.example.com/m/pic.jpg\"", item.ContentHtml);
        Assert.Contains("href=\"https://media.example.com/up.html\"", item.ContentHtml);
    }

    [Fact]
    public void Parse_JsonFeed11_ReadsEveryField()
    {
        var feed = Parse("""
            {
              "version": "https://jsonfeed.org/version/1.1",
              "title": "JSON Partner",
              "home_page_url": "https://json.example.com/",
              "authors": [{ "name": "Desk" }],
              "items": [
                {
                  "id": "j-1",
                  "url": "/stories/1",
                  "title": "Rates hold",
                  "content_html": "<p>Rates <em>held</em>.</p><script>x()</script>",
                  "summary": "Rates held.",
                  "image": "https://json.example.com/i/1.jpg",
                  "date_published": "2026-11-23T10:00:00+02:00",
                  "date_modified": "2026-11-23T11:00:00Z",
                  "tags": ["economy", "rates", 5]
                },
                { "id": 42, "content_text": "Line one.\n\nLine <two>.", "authors": [{ "name": "Kim" }] }
              ]
            }
            """, contentType: "application/octet-stream");

        Assert.Equal("JSON Feed 1.1", feed.Format);
        Assert.Equal("JSON Partner", feed.Title);
        Assert.Equal("https://json.example.com/", feed.Link);
        var first = feed.Items[0];
        Assert.Equal("j-1", first.Key);
        Assert.Equal("https://partner.example.org/stories/1", first.Url);
        Assert.Equal("<p>Rates <em>held</em>.</p>", first.ContentHtml);
        Assert.Equal("Rates held.", first.SummaryText);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), first.Published);
        Assert.Equal("Desk", first.Author);
        Assert.Equal(["economy", "rates"], first.Categories);
        var second = feed.Items[1];
        Assert.Equal("42", second.Key);
        Assert.Equal("Line one. Line <two>.", second.Title);
        Assert.Equal("<p>Line one.</p><p>Line &lt;two&gt;.</p>", second.ContentHtml);
        Assert.Equal("Kim", second.Author);
    }

    [Fact]
    public void Parse_JsonFeed10_ReadsSingularAuthor()
    {
        var feed = Parse("""
            {"version":"https://jsonfeed.org/version/1","title":"Old JSON","author":{"name":"Pat"},
             "items":[{"id":"1","url":"https://j.example.com/1","title":"Hi","content_text":"Hello"}]}
            """);

        Assert.Equal("JSON Feed 1.0", feed.Format);
        Assert.Equal("Pat", Assert.Single(feed.Items).Author);
    }

    [Fact]
    public void Parse_AtomContentType_DoesNotDecideTheFormat()
    {
        var feed = Parse(Rss("<title>a</title><link>https://p.example/a</link>"), contentType: "application/atom+xml");

        Assert.Equal("RSS 2.0", feed.Format);
    }
}
