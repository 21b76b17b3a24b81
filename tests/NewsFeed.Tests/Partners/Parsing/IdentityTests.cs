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
}
