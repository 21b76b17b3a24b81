using System.Globalization;
using NewsFeed.Articles;

namespace NewsFeed.Feeds;

/// <summary>What a feed item is stored as; at equal times, articles sort before partner items.</summary>
internal enum FeedItemSource
{
    Partner = 0,
    Article = 1,
}

/// <summary>
/// A position in the one total order every feed lists its items in, newest first: by time (Unix milliseconds:
/// an article's publication, a partner item's <see cref="Partners.StoredPartnerItem.SortAt"/>), then articles
/// before partner items, then by the row's <c>seq</c> in its table, all descending. The stores sort each table by
/// (time, seq) and the section feed that merges both (<c>Partners:IncludeInSections</c>) by the whole key, so they
/// agree at every tie. <c>?before=</c> is the position of the last item of the previous page: the next page is
/// the items strictly below it, which each store finds with one index seek (<see cref="ArticlesBefore"/>,
/// <see cref="PartnerItemsBefore"/>).
/// </summary>
/// <remarks>
/// Spelled <c>{time}.{seq}</c> for an article and <c>{time}.p{seq}</c> for a partner item, in decimal without
/// leading zeros (time may be negative, seq is at least 1): one spelling per position, so a shared cache keeps one
/// copy of each page. <see cref="TryParse"/> tells a malformed cursor (a 400) from a non-canonical spelling of a
/// valid one (a 301 to <see cref="ToString"/>).
/// </remarks>
internal readonly record struct FeedCursor(long Time, FeedItemSource Source, long Seq) : IComparable<FeedCursor>
{
    /// <summary>Longer than any canonical cursor (20 + 1 + 1 + 19 characters) with room for leading zeros; anything longer is refused unread.</summary>
    public const int MaxLength = 64;

    public static FeedCursor OfArticle(RowKey key) => new(key.Time, FeedItemSource.Article, key.Seq);

    public static FeedCursor OfPartnerItem(RowKey key) => new(key.Time, FeedItemSource.Partner, key.Seq);

    /// <summary>
    /// The article rows below this position: an article cursor is a row of the same table; a partner item at time
    /// T sorts below every article at T, so only articles older than T remain (seq is never below 1).
    /// </summary>
    public RowKey ArticlesBefore => Source == FeedItemSource.Article ? new RowKey(Time, Seq) : new RowKey(Time, 0);

    /// <summary>The partner item rows below this position: below an article at time T come all partner items at T.</summary>
    public RowKey PartnerItemsBefore => Source == FeedItemSource.Partner ? new RowKey(Time, Seq) : new RowKey(Time, long.MaxValue);

    /// <summary>Feed order compares positions; a larger one is newer and listed first.</summary>
    public int CompareTo(FeedCursor other) =>
        Time != other.Time ? Time.CompareTo(other.Time)
        : Source != other.Source ? Source.CompareTo(other.Source)
        : Seq.CompareTo(other.Seq);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Time}.{(Source == FeedItemSource.Partner ? "p" : "")}{Seq}");

    /// <summary>
    /// Reads <paramref name="text"/> as a cursor in any spelling of digits (leading zeros, <c>-0</c>); false when it
    /// is not one at all (no dot, a sign on seq, a seq below 1, a number out of range, anything else).
    /// </summary>
    public static bool TryParse(string? text, out FeedCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return false;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return false;
        var seqText = text.AsSpan(dot + 1);
        var source = FeedItemSource.Article;
        if (seqText.StartsWith("p"))
        {
            source = FeedItemSource.Partner;
            seqText = seqText[1..];
        }
        if (!long.TryParse(text.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
            || text[0] == '+'
            || !long.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || seq < 1)
        {
            return false;
        }
        cursor = new FeedCursor(time, source, seq);
        return true;
    }
}
