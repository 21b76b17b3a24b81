using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Common mistakes with one obvious meaning are repaired; what cannot be repaired follows one policy.</summary>
public class LeniencyTests
{
    [Fact]
    public void Parse_UndeclaredHtmlEntities_Decoded()
    {
        var item = RssItem("<title>A&nbsp;&mdash;&nbsp;caf&eacute; &hellip; &bigstar; &NotEqualTilde; &AMP; &lt;3</title><link>https://p.example/a?x=1&amp;y=2</link>");

        Assert.Equal("A \u2014 caf\u00e9 \u2026 \u2605 \u2242\u0338 & <3", item.Title);
        Assert.Equal("https://p.example/a?x=1&y=2", item.Url);
    }

    [Fact]
    public void Parse_BareAmpersandsAndLessThan_ReadAsText()
    {
        var item = RssItem("<title>AT&T profits < 5% & falling &unknownthing; &#150; done</title><link>https://p.example/a?x=1&y=2</link>");

        Assert.Equal("AT&T profits < 5% & falling &unknownthing; \u2013 done", item.Title);
        Assert.Equal("https://p.example/a?x=1&y=2", item.Url);
    }

    [Fact]
    public void Parse_ControlCharacters_StrippedWithWarning()
    {
        var feed = Parse(Rss("<title>Bad\u0001 \u0008chars&#x1;\u000B here\uFFFE</title><description>x\u0000y</description>"));

        var item = Assert.Single(feed.Items);
        Assert.Equal("Bad chars here", item.Title);
        Assert.Equal("xy", item.SummaryText);
        Assert.Contains(feed.Warnings, w => w.Contains("characters that XML does not allow", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_JunkBeforeDocument_IgnoredWithWarning()
    {
        var feed = Parse("<br />\n<b>Notice</b>: Undefined index in /var/www/feed.php on line 3<br />\n" + Rss("<title>ok</title>"));

        Assert.Equal("ok", Assert.Single(feed.Items).Title);
        Assert.Contains(feed.Warnings, w => w.Contains("before the XML document", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UndeclaredMediaPrefix_StillRead()
    {
        var feed = Parse("""
            <rss version="2.0"><channel><title>t</title>
            <item><title>pic</title><media:thumbnail url="https://p.example/t.jpg"/><dc:creator>Sam</dc:creator></item>
            </channel></rss>
            """);

        var item = Assert.Single(feed.Items);
        Assert.Equal("https://p.example/t.jpg", item.ImageUrl);
        Assert.Equal("Sam", item.Author);
    }

    [Fact]
    public void Parse_RawHtmlInsideDescription_KeptAsContent()
    {
        var item = RssItem("<title>t</title><description><p>Raw <b>markup</b></p></description>");

        Assert.Equal("<p>Raw <b>markup</b></p>", item.ContentHtml);
        Assert.Equal("Raw markup", item.SummaryText);
    }

    [Fact]
    public void Parse_TruncatedDocument_KeepsCompleteItemsWithWarning()
    {
        var full = Rss("<title>one</title>", "<title>two</title>", "<title>three</title>");
        var cut = full[..(full.IndexOf("<title>three", StringComparison.Ordinal) + 9)];

        var feed = Parse(cut);

        Assert.Equal(["one", "two"], feed.Items.Select(i => i.Title));
        var warning = Assert.Single(feed.Warnings, w => w.Contains("truncated or malformed", StringComparison.Ordinal));
        Assert.Contains("line 9", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedAfterItems_KeepsItemsBeforeTheError()
    {
        var feed = Parse(Rss("<title>one</title>", "<title>two</wrong>", "<title>three</title>"));

        Assert.Equal(["one"], feed.Items.Select(i => i.Title));
        Assert.Contains(feed.Warnings, w => w.Contains("truncated or malformed at line", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingClosingTagsAfterLastItem_KeepsAllItems()
    {
        var full = Rss("<title>one</title>", "<title>two</title>");

        var feed = Parse(full[..full.IndexOf("</channel>", StringComparison.Ordinal)]);

        Assert.Equal(2, feed.Items.Count);
    }

    [Fact]
    public void Parse_MalformedBeforeAnyItem_Throws()
    {
        var error = Rejects("<rss version=\"2.0\"><channel><title>x</titel><item><title>a</title></item></channel></rss>");

        Assert.StartsWith("Malformed XML at line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedJsonFeed_RefusedWholeSoTheStoredItemsStay()
    {
        // Issue 16: JSON that is not valid JSON is refused whole, as JSON readers do (it used to keep "one" and "two").
        var error = Rejects("""
            {"version":"https://jsonfeed.org/version/1.1","title":"j","items":[
              {"id":"1","title":"one"},
              {"id":"2","title":"two"},
              {"id":"3","title":"thr
            """);

        Assert.StartsWith("Malformed JSON at line 4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"one"}]""")]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"one"}]} trailing""")]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"one"},{"id":"2" "title":"two"}]}""")]
    public void Parse_InvalidJsonAfterGoodItems_RefusedWhole(string json)
    {
        Assert.StartsWith("Malformed JSON", Rejects(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TrailingJunkAfterRoot_Ignored()
    {
        var feed = Parse(Rss("<title>one</title>") + "\n<!-- generated in 0.2s --><p>Warning: x</p>");

        Assert.Single(feed.Items);
        Assert.Empty(feed.Warnings);
    }
}
