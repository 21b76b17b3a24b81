using Microsoft.Extensions.Time.Testing;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Feeds as partners serve them (feeds/partners/), read field by field.</summary>
public class RecordedFeedTests
{
    private static PartnerFeed Load(string file, string url, string? contentType = null) => PartnerFeedParser.Parse(
        File.ReadAllBytes(RepoPaths.PartnerDocument(file)),
        contentType, new Uri(url), new PartnerParserLimits(), new FakeTimeProvider(PartnerFeeds.Now));

    [Fact]
    public void Parse_WordPressRss_ReadsContentAndDropsTheScript()
    {
        var feed = Load("harbour-gazette.rss", "https://harbourgazette.example.com/feed/", "application/rss+xml; charset=UTF-8");

        Assert.Equal("RSS 2.0", feed.Format);
        Assert.Equal("The Harbour Gazette", feed.Title);
        Assert.Empty(feed.Warnings);
        Assert.Equal(2, feed.Items.Count);
        var ferry = feed.Items[0];
        Assert.Equal("https://harbourgazette.example.com/?p=20417", ferry.Key);
        Assert.Equal("Ferry timetable changes from Monday \u2013 what you need to know", ferry.Title);
        Assert.Equal("https://harbourgazette.example.com/2026/11/23/ferry-timetable-changes/", ferry.Url);
        Assert.Equal("The 07:10 crossing moves to 07:25 and the late sailing on Fridays is withdrawn for the winter.\u2026 Continue reading", ferry.SummaryText);
        Assert.Equal("Mira Castell", ferry.Author);
        Assert.Equal(["Transport", "Ferries"], ferry.Categories);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 16, 45, 0, TimeSpan.Zero), ferry.Published);
        Assert.Contains("<img src=\"https://harbourgazette.example.com/wp-content/uploads/2026/11/ferry-1024x683.jpg\" alt=\"The ferry at the north pier\"", ferry.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("\u201cWe know the early change is unwelcome,\u201d", ferry.ContentHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("script", ferry.ContentHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("_stats", ferry.ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AtomWithXmlBase_ResolvesEverythingAgainstIt()
    {
        var feed = Load("valley-courier.atom", "https://feeds.example.net/valley");

        Assert.Equal("Atom 1.0", feed.Format);
        Assert.Equal("Valley Courier", feed.Title);
        Assert.Equal("https://valleycourier.example.net/", feed.Link);
        Assert.Empty(feed.Warnings);
        var roof = feed.Items[0];
        Assert.Equal("School roof: safe by January", roof.Title);
        Assert.Equal("https://valleycourier.example.net/news/2026/school-roof", roof.Url);
        Assert.Equal("https://valleycourier.example.net/media/school-roof.jpg", roof.ImageUrl);
        Assert.Equal("Hanne Vik", roof.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 16, 5, 0, TimeSpan.Zero), roof.Published);
        Assert.Contains("<a href=\"https://valleycourier.example.net/news/2026/school-roof-timeline\">See the timeline</a>", roof.ContentHtml, StringComparison.Ordinal);
        var bus = feed.Items[1];
        Assert.Equal("Valley Courier newsroom", bus.Author);
        Assert.Equal("<p>From Monday, bus 14 runs via Mill Road.</p><img src=\"https://valleycourier.example.net/media/bus14.png\">", bus.ContentHtml);
        Assert.Null(bus.Published);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero), bus.Updated);
    }

    [Fact]
    public void Parse_Rss10InMislabelledLatin1_ReadsCurlyQuotesAndZonelessDates()
    {
        var feed = Load("northern-wire.rdf", "http://www.northernwire.example.com/rss.rdf", "text/xml");

        Assert.Equal("RSS 1.0", feed.Format);
        Assert.Equal("Northern Wire", feed.Title);
        Assert.Empty(feed.Warnings);
        Assert.Equal("Caf\u00e9 owners back later licensing \u201ctrial\u201d", feed.Items[0].Title);
        Assert.Equal("Business", Assert.Single(feed.Items[0].Categories));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 6, 5, 0, TimeSpan.Zero), feed.Items[1].Published);
    }

    [Fact]
    public void Parse_Rss091WithDoctype_ReadsEstDatesAndRelativeLinks()
    {
        var feed = Load("old-town-radio.rss", "http://oldtownradio.example.com/rss/bulletins.xml", "text/xml; charset=utf-8");

        Assert.Equal("RSS 0.91", feed.Format);
        Assert.Equal("Old Town Radio \u2013 Bulletins", feed.Title);
        Assert.Empty(feed.Warnings);
        Assert.Equal("The square closes at 6 a.m. for the Christmas lights & tree delivery \u2013 stalls move to Bridge St.", feed.Items[0].SummaryText);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 22, 0, 0, TimeSpan.Zero), feed.Items[0].Published);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 21, 0, 0, TimeSpan.Zero), feed.Items[1].Published);
        Assert.Equal("http://oldtownradio.example.com/rss/bulletins/2026-11-23-1600.html", feed.Items[1].Url);
    }

    [Fact]
    public void Parse_JsonFeed_LeavesALinkWhereTheUnlistedPlayerWas()
    {
        var feed = Load("metro-daily.json", "https://metrodaily.example.org/feed.json", "application/feed+json");

        Assert.Equal("JSON Feed 1.1", feed.Format);
        Assert.Equal("Metro Daily", feed.Title);
        Assert.Empty(feed.Warnings);
        var market = feed.Items[0];
        Assert.Equal("md-2026-11-23-0193", market.Key);
        // video.example.org is not an allowed player host (Content:EmbedHosts): its iframe leaves a link to its source.
        Assert.Equal("<p>Forty stalls, three stages and, for the first time, a 23:00 close.</p><a href=\"https://video.example.org/embed/991\">https://video.example.org/embed/991</a>", market.ContentHtml);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 30, 0, TimeSpan.Zero), market.Published);
        Assert.Equal("Luis Ortega", market.Author);
        var derby = feed.Items[1];
        Assert.Equal("Metro Daily staff", derby.Author);
        Assert.Equal("<p>A stoppage-time header gave the visitors a 2-1 win.</p>", derby.ContentHtml);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 22, 20, 0, TimeSpan.Zero), derby.Updated);
    }
}
