using NewsFeed.Partners;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Item identity (guid/id, else link, else content hash), edits, duplicates and empty items.</summary>
public class IdentityTests
{
    [Fact]
    public void Parse_Key_PrefersGuidThenLinkThenHash()
    {
        var feed = Parse(Rss(
            "<title>a</title><guid isPermaLink=\"false\">  id-1  </guid><link>https://p.example/a</link>",
            "<title>b</title><link>https://p.example/b</link>",
            "<title>c</title><description>only text</description>"));

        Assert.Equal("id-1", feed.Items[0].Key);
        Assert.Equal("https://p.example/b", feed.Items[1].Key);
        Assert.Equal("sha256:" + feed.Items[2].ContentHash, feed.Items[2].Key);
        Assert.Matches("^[0-9a-f]{64}$", feed.Items[2].ContentHash);
    }

    [Fact]
    public void Parse_PermalinkGuid_ServesAsTheLink()
    {
        var feed = Parse(Rss(
            "<title>a</title><guid>https://p.example/a</guid>",
            "<title>b</title><guid>not-a-url-123</guid>"));

        Assert.Equal("https://p.example/a", feed.Items[0].Url);
        Assert.Null(feed.Items[1].Url);
    }

    [Fact]
    public void Parse_SameItemTwice_SameHash()
    {
        const string item = "<title>a</title><guid>g</guid><description>d</description><pubDate>Mon, 23 Nov 2026 08:15:00 GMT</pubDate>";

        Assert.Equal(RssItem(item).ContentHash, RssItem(item).ContentHash);
    }

    [Theory]
    [InlineData("<title>a (corrected)</title><guid>g</guid><description>d</description><pubDate>Mon, 23 Nov 2026 08:15:00 GMT</pubDate>")]
    [InlineData("<title>a</title><guid>g</guid><description>d, with more</description><pubDate>Mon, 23 Nov 2026 08:15:00 GMT</pubDate>")]
    [InlineData("<title>a</title><guid>g</guid><description>d</description><pubDate>Mon, 23 Nov 2026 09:15:00 GMT</pubDate>")]
    [InlineData("<title>a</title><guid>g</guid><description>d</description><pubDate>Mon, 23 Nov 2026 08:15:00 GMT</pubDate><link>https://p.example/new</link>")]
    public void Parse_EditedItem_SameKeyNewHash(string edited)
    {
        var original = RssItem("<title>a</title><guid>g</guid><description>d</description><pubDate>Mon, 23 Nov 2026 08:15:00 GMT</pubDate>");
        var changed = RssItem(edited);

        Assert.Equal(original.Key, changed.Key);
        Assert.NotEqual(original.ContentHash, changed.ContentHash);
    }

    [Fact]
    public void Parse_DuplicateKeys_FirstKeptWithWarning()
    {
        var feed = Parse(Rss(
            "<title>first</title><guid>same</guid>",
            "<title>second</title><guid>same</guid>",
            "<title>third</title><link>https://p.example/x</link>",
            "<title>fourth</title><link>https://p.example/x</link>"));

        Assert.Equal(["first", "third"], feed.Items.Select(i => i.Title));
        Assert.Equal(2, feed.Warnings.Count(w => w.Contains("first one was kept", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_ItemWithNothing_SkippedWithWarning()
    {
        var feed = Parse(Rss("<title>  </title><description><![CDATA[<script>x</script>]]></description><link>javascript:x</link>", "<title>kept</title>"));

        Assert.Equal("kept", Assert.Single(feed.Items).Title);
        Assert.Contains(feed.Warnings, w => w.Contains("Item 1 has no title, link or content", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ItemWithoutTitle_GetsOneFromItsText()
    {
        var feed = Parse(Rss(
            "<description>&lt;p&gt;The city council met on Monday evening to discuss the harbour bridge, which has been closed since the storm.&lt;/p&gt;</description>",
            "<description>Short note.</description>",
            "<link>https://p.example/only-link</link>"));

        Assert.Equal("The city council met on Monday evening to discuss the harbour bridge, which has…", feed.Items[0].Title);
        Assert.Equal("Short note.", feed.Items[1].Title);
        Assert.Equal("https://p.example/only-link", feed.Items[2].Title);
    }

    [Fact]
    public void Parse_VeryLongId_KeyedByItsHash()
    {
        var id = new string('i', 5_000);

        var item = RssItem($"<title>t</title><guid isPermaLink=\"false\">{id}</guid>");

        Assert.Matches("^sha256:[0-9a-f]{64}$", item.Key);
    }

    [Fact]
    public void Parse_EmptyChannel_IsAFeedWithNoItems()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><title>Quiet</title></channel></rss>");

        Assert.Equal("Quiet", feed.Title);
        Assert.Empty(feed.Items);
        Assert.Empty(feed.Warnings);
    }

    [Fact]
    public void Parse_SharedGuidDifferentLinks_DistinctItemsKeyedByGuidAndLink()
    {
        var feed = Parse(Rss(
            "<title>Part one</title><guid isPermaLink=\"false\">series-7</guid><link>https://p.example/s/1</link>",
            "<title>Part two</title><guid isPermaLink=\"false\">series-7</guid><link>https://p.example/s/2</link>",
            "<title>Part three</title><guid isPermaLink=\"false\">series-7</guid><link>https://p.example/s/3</link>",
            "<title>Alone</title><guid isPermaLink=\"false\">solo</guid><link>https://p.example/solo</link>"));

        Assert.Equal(["Part one", "Part two", "Part three", "Alone"], feed.Items.Select(i => i.Title));
        Assert.Equal(["series-7 https://p.example/s/1", "series-7 https://p.example/s/2", "series-7 https://p.example/s/3", "solo"], feed.Items.Select(i => i.Key));
        Assert.All(feed.Items.Take(3), i => Assert.Equal("series-7", i.SourceId));
        Assert.DoesNotContain(feed.Warnings, w => w.Contains("repeats", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SharedGuidOneWithoutLink_ThatOneKeepsThePlainGuid()
    {
        var feed = Parse(Rss(
            "<title>with link</title><guid isPermaLink=\"false\">g</guid><link>https://p.example/a</link>",
            "<title>without</title><guid isPermaLink=\"false\">g</guid>"));

        Assert.Equal(["g https://p.example/a", "g"], feed.Items.Select(i => i.Key));
    }

    [Fact]
    public void Parse_ExactDuplicateInOneDocument_StoredOnce()
    {
        const string item = "<title>Same</title><guid isPermaLink=\"false\">d-1</guid><link>https://p.example/d</link><description>x</description>";

        var feed = Parse(Rss(item, "<title>Other</title><guid isPermaLink=\"false\">d-2</guid>", item));

        Assert.Equal(["d-1", "d-2"], feed.Items.Select(i => i.Key));
        Assert.Contains("Item 3 repeats the id 'd-1' and the link 'https://p.example/d'; the first one was kept.", feed.Warnings);
    }

    [Fact]
    public void Parse_Item_ExposesItsGuidAndLinkApartFromItsKey()
    {
        var feed = Parse(Rss(
            "<title>a</title><guid isPermaLink=\"false\"> id-1 </guid><link>https://p.example/a</link>",
            "<title>b</title><guid>https://p.example/b</guid>",
            "<title>c</title><link>https://p.example/c</link>"));

        Assert.Equal([("id-1", "https://p.example/a"), ("https://p.example/b", "https://p.example/b"), (null, "https://p.example/c")],
            feed.Items.Select(i => (i.SourceId, i.Url)));
    }

    [Fact]
    public void Parse_AtomAndJsonIds_ExposedAsSourceId()
    {
        var atom = Assert.Single(Parse(Atom("<id>urn:uuid:1</id><title>a</title><link href=\"https://p.example/a\"/>")).Items);
        var json = Assert.Single(Parse("""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"j-1","url":"https://p.example/j","title":"j"}]}""").Items);
        var rdf = Assert.Single(Parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
              <channel rdf:about="https://p.example/"><title>r</title></channel>
              <item rdf:about="https://p.example/r"><title>r</title><link>https://p.example/r</link></item>
            </rdf:RDF>
            """).Items);

        Assert.Equal(("urn:uuid:1", "https://p.example/a"), (atom.SourceId, atom.Url));
        Assert.Equal(("j-1", "https://p.example/j"), (json.SourceId, json.Url));
        Assert.Equal(("https://p.example/r", "https://p.example/r"), (rdf.SourceId, rdf.Url));
    }
}
