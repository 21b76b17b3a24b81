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
    DateTimeOffset? ValidUntil);
