using System.Globalization;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Fields read as the partner meant them: author names without addresses, Dublin Core dates, escaped text in Atom titles.</summary>
public class FieldFidelityTests
{
    [Theory]
    [InlineData("me@example.com (Example Editor)", "Example Editor")]
    [InlineData("Example Editor <me@example.com>", "Example Editor")]
    [InlineData("\"Example Editor\" <mailto:me@example.com>", "Example Editor")]
    [InlineData("Example Editor (me@example.com)", "Example Editor")]
    [InlineData("  me@example.com   (Example  Editor)  ", "Example Editor")]
    [InlineData("Example Editor", "Example Editor")]
    [InlineData("Example (Sports) Editor", "Example (Sports) Editor")]
    [InlineData("me@example.com", null)] // a bare address is never a name
    [InlineData("mailto:me@example.com", null)]
    [InlineData("<me@example.com>", null)]
    [InlineData("me@example.com (me@example.com)", null)]
    [InlineData("   ", null)]
    public void Parse_RssAuthorForms_GiveTheNameNeverTheAddress(string written, string? expected)
    {
        var item = RssItem($"<title>t</title><author>{System.Security.SecurityElement.Escape(written)}</author>");

        Assert.Equal(expected, item.Author);
    }

    [Fact]
    public void Parse_BareAddressThenAnotherAuthorField_TheNameIsTaken()
    {
        var item = RssItem("<title>t</title><author>desk@example.com</author><itunes:author xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">Radio Desk</itunes:author>");

        Assert.Equal("Radio Desk", item.Author);
    }

    [Fact]
    public void Parse_AtomAndJsonAuthorAddresses_NeverNames()
    {
        var atom = Assert.Single(Parse(Atom("<id>1</id><title>a</title><author><name>me@example.com</name></author>")).Items);
        var json = Assert.Single(Parse("""{"version":"https://jsonfeed.org/version/1.1","authors":[{"name":"desk@example.com"},{"name":"Desk (desk@example.com)"}],"items":[{"id":"1","title":"j"}]}""").Items);

        Assert.Null(atom.Author);
        Assert.Equal("Desk", json.Author);
    }

    [Theory]
    [InlineData("<dc:date>2026-11-20T10:00:00+01:00</dc:date>", "2026-11-20T09:00:00Z")]
    [InlineData("<dcterms:issued xmlns:dcterms=\"http://purl.org/dc/terms/\">2026-11-20</dcterms:issued>", "2026-11-20T00:00:00Z")]
    [InlineData("<dcterms:created xmlns:dcterms=\"http://purl.org/dc/terms/\">2026-11-20T10:00Z</dcterms:created>", "2026-11-20T10:00:00Z")]
    [InlineData("<dc:date>2026-11</dc:date>", "2026-11-01T00:00:00Z")]
    [InlineData("<dc:date>2025</dc:date>", "2025-01-01T00:00:00Z")]
    [InlineData("<pubDate>not a date</pubDate><dc:date>2026-11-20T10:00:00Z</dc:date>", "2026-11-20T10:00:00Z")]
    public void Parse_DublinCoreDates_ReadAsPublished(string fields, string expected)
    {
        var item = RssItem($"<title>t</title>{fields}");

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), item.Published);
    }

    [Fact]
    public void Parse_DctermsModified_ReadAsUpdatedInRssAndAtom()
    {
        var rss = RssItem("<title>t</title><dcterms:modified xmlns:dcterms=\"http://purl.org/dc/terms/\">2026-11-21T10:00:00Z</dcterms:modified>");
        var atom = Assert.Single(Parse(Atom("<id>1</id><title>a</title><dcterms:issued xmlns:dcterms=\"http://purl.org/dc/terms/\">2026-11-20T10:00:00Z</dcterms:issued><dcterms:modified xmlns:dcterms=\"http://purl.org/dc/terms/\">2026-11-21T10:00:00Z</dcterms:modified>")).Items);

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), rss.Updated);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), atom.Published);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), atom.Updated);
    }

    [Theory]
    [InlineData("<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">History of the &lt;blink&gt; tag</div></title>")]
    [InlineData("<title type=\"html\">History of the &amp;lt;blink&amp;gt; tag</title>")]
    [InlineData("<title type=\"text\">History of the &lt;blink&gt; tag</title>")]
    [InlineData("<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">History of the <code>&lt;blink&gt;</code> tag</div></title>")]
    [InlineData("<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><![CDATA[History of the <blink> tag]]></div></title>")]
    public void Parse_AtomTitleWithEscapedMarkup_KeptAsText(string title)
    {
        var item = Assert.Single(Parse(Atom($"<id>1</id>{title}")).Items);

        Assert.Equal("History of the <blink> tag", item.Title);
    }

    [Fact]
    public void Parse_AtomXhtmlContentWithEscapedText_StaysEscapedInTheHtml()
    {
        var item = Assert.Single(Parse(Atom("<id>1</id><title>t</title><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Use &lt;b&gt; &amp; <b>bold</b></p></div></content>")).Items);

        Assert.Equal("<p>Use &lt;b&gt; &amp; <b>bold</b></p>", item.ContentHtml);
        Assert.Equal("Use <b> & bold", item.SummaryText);
    }
}
