using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NewsFeed.Feeds;

/// <summary>
/// The period of one RFC 5005 archive document: a calendar month in UTC, written <c>yyyy-MM</c> in its URL
/// (<c>/feeds/latest/archive/2026-11.atom</c>). An article belongs to the month of its published time, which a
/// correction never moves, so the archive an article is in never changes.
/// </summary>
internal readonly record struct FeedMonth(int Year, int Month) : IComparable<FeedMonth>
{
    /// <summary>The first instant of the month (inclusive).</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant of the next month (exclusive end).</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    public static FeedMonth Of(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new FeedMonth(utc.Year, utc.Month);
    }

    /// <summary>
    /// Reads the one spelling a month has in a URL, <c>yyyy-MM</c> (four-digit year from 1970, two-digit month);
    /// anything else is not an archive.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FeedMonth? month)
    {
        month = null;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year < 1970 || number is < 1 or > 12)
        {
            return false;
        }
        month = new FeedMonth(year, number);
        return true;
    }

    public int CompareTo(FeedMonth other) => (Year, Month).CompareTo((other.Year, other.Month));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
