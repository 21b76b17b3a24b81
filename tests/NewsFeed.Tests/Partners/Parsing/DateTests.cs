using System.Globalization;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Dates as partner feeds write them, read the same in any culture.</summary>
public class DateTests
{
    [Theory]
    [InlineData("Mon, 23 Nov 2026 08:15:00 GMT", "2026-11-23T08:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 +0000", "2026-11-23T08:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 UT", "2026-11-23T08:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 EST", "2026-11-23T13:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 EDT", "2026-11-23T12:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 PST", "2026-11-23T16:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 CEST", "2026-11-23T06:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 +0530", "2026-11-23T02:45:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 -03:00", "2026-11-23T11:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 Z", "2026-11-23T08:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 08:15:00 Q", "2026-11-23T08:15:00Z")] // military zone: RFC 2822 says -0000
    [InlineData("Mon, 23 Nov 2026 08:15 GMT", "2026-11-23T08:15:00Z")] // no seconds
    [InlineData("23 Nov 2026 08:15:00 GMT", "2026-11-23T08:15:00Z")] // no weekday
    [InlineData("Fri, 23 Nov 2026 08:15:00 GMT", "2026-11-23T08:15:00Z")] // wrong weekday
    [InlineData("Mon, 23 Nov 26 08:15:00 GMT", "2026-11-23T08:15:00Z")] // two-digit year
    [InlineData("Tue, 02 Mar 99 08:15:00 GMT", "1999-03-02T08:15:00Z")]
    [InlineData("Monday, 23 November 2026 08:15:00 GMT", "2026-11-23T08:15:00Z")]
    [InlineData("Mon, 3 Sept 2026 8:05:00 +0100", "2026-09-03T07:05:00Z")]
    [InlineData("23-Nov-2026 08:15:00", "2026-11-23T08:15:00Z")] // no zone: UTC
    [InlineData("Mon Nov 23 2026 08:15:00 GMT+0100 (Central European Standard Time)", "2026-11-23T07:15:00Z")]
    [InlineData("Mon, 23 Nov 2026 8:15:00 PM EST", "2026-11-24T01:15:00Z")]
    [InlineData("Mon, 23 Nov 2026", "2026-11-23T00:00:00Z")]
    [InlineData("2026-11-23T08:15:00Z", "2026-11-23T08:15:00Z")]
    [InlineData("2026-11-23T08:15:00.123456+02:00", "2026-11-23T06:15:00.123456Z")]
    [InlineData("2026-11-23T08:15:00+0200", "2026-11-23T06:15:00Z")]
    [InlineData("2026-11-23 08:15:00", "2026-11-23T08:15:00Z")]
    [InlineData("2026-11-23T08:15", "2026-11-23T08:15:00Z")]
    [InlineData("2026-11-23", "2026-11-23T00:00:00Z")]
    [InlineData("20261123T081500Z", "2026-11-23T08:15:00Z")]
    public void Parse_DateVariants_ReadAsUtc(string written, string expected)
    {
        var item = RssItem($"<title>t</title><pubDate>{written}</pubDate>");

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), item.Published);
        Assert.Equal(TimeSpan.Zero, item.Published!.Value.Offset);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("32 Nov 2026 08:15:00 GMT")]
    [InlineData("Mon, 23 Foo 2026 08:15:00 GMT")]
    [InlineData("2026-02-30T10:00:00Z")]
    [InlineData("Mon, 23 Nov 2026 25:15:00 GMT")]
    public void Parse_UnreadableDate_KeepsItemWithNullDateAndWarning(string written)
    {
        var feed = Parse(Rss($"<title>kept</title><pubDate>{written}</pubDate>"));

        var item = Assert.Single(feed.Items);
        Assert.Equal("kept", item.Title);
        Assert.Null(item.Published);
        Assert.Contains(feed.Warnings, w => w.Contains("unreadable published date", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DateMoreThanADayAhead_IsDroppedWithWarning()
    {
        var feed = Parse(Rss(
            "<title>far</title><pubDate>Fri, 27 Nov 2026 12:00:00 GMT</pubDate>",
            "<title>near</title><pubDate>Wed, 25 Nov 2026 11:00:00 GMT</pubDate>"));

        Assert.Null(feed.Items[0].Published);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero), feed.Items[1].Published);
        Assert.Contains(feed.Warnings, w => w.Contains("in the future", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnderAnotherCulture_ReadsTheSameDates()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var german = RssItem("<title>t</title><pubDate>Tue, 03 Nov 2026 08:15:00 GMT</pubDate>");
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            var arabic = RssItem("<title>t</title><pubDate>Tue, 03 Nov 2026 08:15:00 GMT</pubDate>");

            Assert.Equal(new DateTimeOffset(2026, 11, 3, 8, 15, 0, TimeSpan.Zero), german.Published);
            Assert.Equal(german.Published, arabic.Published);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
