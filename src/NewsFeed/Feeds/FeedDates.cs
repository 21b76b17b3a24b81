using System.Globalization;

namespace NewsFeed.Feeds;

/// <summary>Dates as each format writes them, whatever the process culture ("Di, 05 März" is not an RSS date).</summary>
internal static class FeedDates
{
    /// <summary>RFC 822 date as RSS 2.0 wants it, e.g. "Tue, 03 Nov 2026 08:15:00 GMT".</summary>
    public static string Rfc822(DateTimeOffset value) => value.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 UTC date (Atom, JSON Feed, the headlines API).</summary>
    public static string Rfc3339(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
