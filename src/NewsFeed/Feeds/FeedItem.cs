using NewsFeed.Articles;
using NewsFeed.Partners;

namespace NewsFeed.Feeds;

/// <summary>One item of a feed as the stores gave it: where it sorts, the article (or partner item in its shape), and the partner it came from, if any.</summary>
/// <param name="UnreadBody">
/// The length in characters of a long article's body the store left unread (<see cref="KeyedRow{T}.UnreadBody"/>):
/// the item can be sent as its summary, and <see cref="FeedPageReader.WholeAsync"/> reads it for full content. 0: whole.
/// </param>
internal sealed record FeedItem(FeedCursor Position, Article Article, PartnerSource? Source, int UnreadBody = 0);

/// <summary>
/// The items a page shows, chosen from the feed's entries newest first: the first <see cref="FullContentItems"/>
/// carry their full content, the rest only their summary (the byte budget).
/// </summary>
/// <param name="HasNext">Whether an entry below the last one shown exists (left for the next page).</param>
internal sealed record FeedSelection(IReadOnlyList<FeedItem> Items, int FullContentItems, bool HasNext)
{
    /// <summary>
    /// The first <paramref name="limit"/> entries, all as read (tests of what a page holds; a long story's unread
    /// body stays unread): the entries are read one more than the page holds, which tells whether an older page
    /// exists without counting the feed.
    /// </summary>
    public static async ValueTask<FeedSelection> FirstAsync(IAsyncEnumerable<FeedItem> entries, int limit)
    {
        var items = new List<FeedItem>(limit);
        await foreach (var entry in entries)
        {
            if (items.Count == limit) return new FeedSelection(items, items.Count, HasNext: true);
            items.Add(entry);
        }
        return new FeedSelection(items, items.Count, HasNext: false);
    }
}
