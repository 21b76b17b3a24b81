namespace NewsFeed.Feeds;

/// <summary>What one page of a feed shows, as <see cref="FeedPageReader"/> read it from the stores.</summary>
/// <param name="Name">The name of the section, author, tag or partner the feed is of; null for latest and all partners.</param>
/// <param name="Selection">The page's items, newest first: articles, and partner items in the shape of articles.</param>
/// <param name="ChangedAt">When a write last changed the feed, if known (for Last-Modified).</param>
/// <param name="ValidUntil">When an embargo lifts and this page stops being the truth, if ever.</param>
internal sealed record FeedPage(
    string? Name,
    FeedSelection Selection,
    DateTimeOffset? ChangedAt,
    DateTimeOffset? ValidUntil);
