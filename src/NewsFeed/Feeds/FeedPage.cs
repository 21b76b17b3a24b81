using NewsFeed.Articles;
using NewsFeed.Partners;

namespace NewsFeed.Feeds;

/// <summary>What one page of a feed shows, as <see cref="FeedPageReader"/> read it from the stores.</summary>
/// <param name="Name">The name of the section, author, tag or partner the feed is of; null for latest and all partners.</param>
/// <param name="Items">The page's items, newest first: articles, and partner items in the shape of articles.</param>
/// <param name="HasNext">Whether an older page exists.</param>
/// <param name="Sources">Where each partner item came from, by item id, for attribution.</param>
/// <param name="ChangedAt">When a write last changed the feed, if known (for Last-Modified).</param>
/// <param name="ValidUntil">When an embargo lifts and this page stops being the truth, if ever.</param>
internal sealed record FeedPage(
    string? Name,
    IReadOnlyList<Article> Items,
    bool HasNext,
    IReadOnlyDictionary<Guid, PartnerSource> Sources,
    DateTimeOffset? ChangedAt,
    DateTimeOffset? ValidUntil)
{
    /// <summary>The feed's RFC 5005 archive months around this document (docs/feeds.md, "Archives"); null for feeds without archives.</summary>
    public ArchiveNeighbours? Archives { get; init; }
}

/// <summary>The archive documents a feed document links to.</summary>
/// <param name="Previous">The archive of the newest month with a visible item before this document's (<c>prev-archive</c>).</param>
/// <param name="Next">The archive of the oldest month with a visible item after an archive's month (<c>next-archive</c>).</param>
internal sealed record ArchiveNeighbours(FeedMonth? Previous, FeedMonth? Next);
