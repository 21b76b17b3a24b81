using NewsFeed.Feeds;

namespace NewsFeed.Embed;

/// <summary>
/// One read of a headline list and its renders (JSON, and the iframe page per theme), with the ETag,
/// compression and 304 handling of <see cref="CachedResponse"/>. All are made with the snapshot (each is a
/// few kilobytes), so the cache counts what it really holds (<see cref="Size"/>) when it stores one.
/// </summary>
internal sealed class HeadlinesSnapshot
{
    private readonly CachedResponse[] _pages;

    internal HeadlinesSnapshot(HeadlineList list, string language, long version, DateTimeOffset? validUntil, EdgeHeaders? edge = null)
    {
        List = list;
        Version = version;
        ValidUntil = validUntil;
        // No Last-Modified: a retraction changes the list without any item's date moving, and a stale
        // date would turn If-Modified-Since into a wrong 304. The ETag alone validates.
        var link = $"<{list.Feed}>; rel=\"alternate\"; type=\"{FeedFormat.Rss.MediaType()}\"";
        // Compressed now (a few kilobytes each): the snapshot is counted once, when its cache stores it.
        Json = new CachedResponse(HeadlinesJson.Write(list), HeadlinesJson.ContentType, null, link, version, validUntil) { Edge = edge }.Compressed();
        _pages = Enum.GetValues<EmbedTheme>()
            .Select(theme => new CachedResponse(HeadlinesPage.Render(list, language, theme), HeadlinesPage.ContentType, null, link, version, validUntil) { Edge = edge }.Compressed())
            .ToArray();
        // The list itself stays referenced too: its strings are UTF-16, about twice the UTF-8 JSON that holds every field.
        Size = Json.Size + _pages.Sum(page => page.Size) + 2L * Json.Identity.Body.Length;
    }

    public HeadlineList List { get; }
    public long Version { get; }
    public DateTimeOffset? ValidUntil { get; }

    public CachedResponse Json { get; }

    public CachedResponse Page(EmbedTheme theme) => _pages[(int)theme];

    /// <summary>Cache accounting: every render with its compressed forms, and the list they were made from.</summary>
    internal long Size { get; }

    internal bool IsFresh(long version, DateTimeOffset now) =>
        Version == version && (ValidUntil is not { } until || now < until);
}
