using System.Text;
using Microsoft.Extensions.Time.Testing;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Builds partner documents and parses them with a fixed clock.</summary>
internal static class PartnerFeeds
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    public static readonly Uri BaseUri = new("https://partner.example.org/feeds/news.xml");

    public static PartnerFeed Parse(string document, string? contentType = null, PartnerParserLimits? limits = null) =>
        Parse(Encoding.UTF8.GetBytes(document), contentType, limits);

    public static PartnerFeed Parse(byte[] document, string? contentType = null, PartnerParserLimits? limits = null) =>
        PartnerFeedParser.Parse(document, contentType, BaseUri, limits ?? new PartnerParserLimits(), new FakeTimeProvider(Now));

    public static PartnerFeedException Rejects(string document) =>
        Assert.Throws<PartnerFeedException>(() => Parse(document));

    /// <summary>An RSS 2.0 document with the usual namespaces and the given items' inner XML.</summary>
    public static string Rss(params string[] items) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
          <channel>
            <title>Partner News</title>
            <link>https://partner.example.org/</link>
            <description>Partner</description>
            {string.Concat(items.Select(i => "<item>" + i + "</item>\n"))}
          </channel>
        </rss>
        """;

    public static string Atom(params string[] entries) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title>Partner Atom</title>
          <id>urn:partner:feed</id>
          <updated>2026-11-20T10:00:00Z</updated>
          {string.Concat(entries.Select(e => "<entry>" + e + "</entry>\n"))}
        </feed>
        """;

    /// <summary>The only item of a one-item RSS feed.</summary>
    public static PartnerItem RssItem(string item) => Assert.Single(Parse(Rss(item)).Items);

    /// <summary>Sanitized content of an RSS item whose content:encoded is the given HTML.</summary>
    public static string Content(string html) =>
        RssItem($"<title>t</title><content:encoded><![CDATA[{html}]]></content:encoded>").ContentHtml ?? "";
}
