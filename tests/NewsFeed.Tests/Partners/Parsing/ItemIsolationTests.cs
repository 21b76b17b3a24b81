using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>One bad item never costs the others: it is kept as well as it can be read, or dropped alone with a warning.</summary>
public class ItemIsolationTests
{
    private static readonly string Deep = string.Concat(Enumerable.Repeat("<div>", 150)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 150));

    [Fact]
    public void Parse_ImageOnlyItemWithGuid_KeptUntitledBesideTheNormalItem()
    {
        var feed = Parse(Rss(
            "<title>Normal story</title><link>https://p.example/normal</link><description>Words.</description>",
            "<guid isPermaLink=\"false\">pic-1</guid><description>&lt;img src=\"https://p.example/pic.jpg\"&gt;</description>"));

        Assert.Equal(2, feed.Items.Count);
        Assert.Equal("Normal story", feed.Items[0].Title);
        var picture = feed.Items[1];
        Assert.Equal("", picture.Title);
        Assert.Equal("pic-1", picture.Key);
        Assert.Null(picture.Url);
        Assert.Null(picture.SummaryText);
        Assert.Contains("<img src=\"https://p.example/pic.jpg\"", picture.ContentHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<guid isPermaLink=\"false\">e-1</guid><description>&lt;p&gt;&lt;/p&gt;</description>")]
    [InlineData("<guid isPermaLink=\"false\">e-2</guid><description><![CDATA[<div> <span></span> </div>]]></description>")]
    [InlineData("<guid isPermaLink=\"false\">e-3</guid><content:encoded><![CDATA[<script>x()</script><p> </p>]]></content:encoded>")]
    public void Parse_ItemWhoseHtmlShowsNothing_SkippedWithWarningOthersKept(string empty)
    {
        var feed = Parse(Rss("<title>before</title>", empty, "<title>after</title>"));

        Assert.Equal(["before", "after"], feed.Items.Select(i => i.Title));
        Assert.Contains(feed.Warnings, w => w.Contains("Item 2 has no title, link or content", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RssItemNestedTooDeep_DroppedAloneItemsAroundKept()
    {
        var feed = Parse(Rss("<title>one</title>", $"<title>deep</title><description>{Deep}</description>", "<title>three</title>"));

        Assert.Equal(["one", "three"], feed.Items.Select(i => i.Title));
        Assert.Contains(feed.Warnings, w => w.StartsWith("Item 2, at line", StringComparison.Ordinal) && w.Contains("nest more than 100 levels", StringComparison.Ordinal));
        Assert.DoesNotContain(feed.Warnings, w => w.Contains("truncated or malformed", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FirstItemNestedTooDeep_DocumentStillRead()
    {
        var feed = Parse(Rss($"<title>deep</title><description>{Deep}</description>", "<title>two</title>"));

        Assert.Equal("two", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void Parse_AtomEntryNestedTooDeep_DroppedAloneEntriesAroundKept()
    {
        var feed = Parse(Atom(
            "<id>a1</id><title>one</title>",
            $"<id>a2</id><title>deep</title><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">{Deep}</div></content>",
            "<id>a3</id><title>three</title>"));

        Assert.Equal(["one", "three"], feed.Items.Select(i => i.Title));
        Assert.Contains(feed.Warnings, w => w.Contains("nest more than 100 levels", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_JsonItemNestedTooDeep_DroppedAloneItemsAroundKept()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 150)) + "1" + new string('}', 150);

        var feed = Parse($$"""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"one"},{"id":"2","title":"deep","_x":{{deep}}},{"id":"3","title":"three"}]}""");

        Assert.Equal(["one", "three"], feed.Items.Select(i => i.Title));
        Assert.Contains(feed.Warnings, w => w.StartsWith("Item 2 ('2')", StringComparison.Ordinal) && w.Contains("nest more than 100 levels", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ChannelElementNestedTooDeep_SkippedWithWarning()
    {
        var feed = Parse(Rss("<title>one</title>").Replace("<description>Partner</description>", $"<image>{Deep}</image>", StringComparison.Ordinal));

        Assert.Equal("one", Assert.Single(feed.Items).Title);
        Assert.Contains(feed.Warnings, w => w.StartsWith("Skipped <image>", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_JsonItemThatIsNotAnObject_CountedAndSkipped()
    {
        var feed = Parse("""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"one"},"two",{"id":"3","title":"three"}]}""");

        Assert.Equal(["one", "three"], feed.Items.Select(i => i.Title));
        Assert.Contains("Item 2: not a JSON object; skipped.", feed.Warnings);
    }

    [Fact]
    public void Parse_UndeclaredPrefixInOneItem_ReadLikeAnyOtherElement()
    {
        var feed = Parse("""
            <rss version="2.0"><channel><title>t</title>
            <item><title>one</title><georss:point>45.2 7.1</georss:point></item>
            <item><title>two</title><slash:comments>4</slash:comments></item>
            </channel></rss>
            """);

        Assert.Equal(["one", "two"], feed.Items.Select(i => i.Title));
    }

    [Fact]
    public void Parse_UnreadableFieldsInOneItem_OthersKeepTheirs()
    {
        var feed = Parse(Rss(
            "<title>one</title><link>https://p.example/1</link><pubDate>Mon, 23 Nov 2026 08:15:00 GMT</pubDate>",
            "<link>javascript:alert(1)</link><pubDate>someday</pubDate><guid isPermaLink=\"false\">  </guid><description> </description>",
            "<title>three</title><link>https://p.example/3</link><pubDate>Mon, 23 Nov 2026 09:15:00 GMT</pubDate>"));

        Assert.Equal(["one", "three"], feed.Items.Select(i => i.Title));
        Assert.Equal(["https://p.example/1", "https://p.example/3"], feed.Items.Select(i => i.Url));
        Assert.All(feed.Items, i => Assert.NotNull(i.Published));
    }

    [Fact]
    public void Builder_ItemThatThrowsWhileRead_DroppedAloneWithItsNameAndWhy()
    {
        var builder = new PartnerFeedBuilder(new PartnerParserLimits(), Now);

        builder.Add(() => new FeedEntry { Title = FeedText.Text("one"), ContentBase = BaseUri }, "1");
        builder.Add(() => throw new InvalidOperationException("the reader tripped"), "tag:p.example,2026:2");
        builder.Add(() => new FeedEntry { Title = FeedText.Text("three"), ContentBase = BaseUri }, "3");
        var feed = builder.ToFeed();

        Assert.Equal(["one", "three"], feed.Items.Select(i => i.Title));
        Assert.Contains("Item 2 ('tag:p.example,2026:2') could not be read (InvalidOperationException: the reader tripped); skipped.", feed.Warnings);
    }
}
