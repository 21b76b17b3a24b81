using NewsFeed.Feeds;

namespace NewsFeed.Embed;

/// <summary>
/// One read of a headline list and its renders (JSON, and the iframe page per theme), each made at
/// most once, on first demand, with the ETag, compression and 304 handling of <see cref="CachedResponse"/>.
/// </summary>
internal sealed class HeadlinesSnapshot
{
    private readonly Lazy<CachedResponse> _json;
    private readonly Lazy<CachedResponse>[] _pages;

    internal HeadlinesSnapshot(HeadlineList list, string language, long version, DateTimeOffset? validUntil)
    {
        List = list;
        Version = version;
        ValidUntil = validUntil;
        // No Last-Modified: a retraction changes the list without any item's date moving, and a stale
        // date would turn If-Modified-Since into a wrong 304. The ETag alone validates.
        var link = $"<{list.Feed}>; rel=\"alternate\"; type=\"{FeedFormat.Rss.MediaType()}\"";
        _json = new(() => new CachedResponse(HeadlinesJson.Write(list), HeadlinesJson.ContentType, null, link, version, validUntil));
        _pages = Enum.GetValues<EmbedTheme>()
            .Select(theme => new Lazy<CachedResponse>(() => new CachedResponse(HeadlinesPage.Render(list, language, theme), HeadlinesPage.ContentType, null, link, version, validUntil)))
            .ToArray();
    }

    public HeadlineList List { get; }
    public long Version { get; }
    public DateTimeOffset? ValidUntil { get; }

    public CachedResponse Json => _json.Value;

    public CachedResponse Page(EmbedTheme theme) => _pages[(int)theme].Value;

    /// <summary>Cache accounting: JSON and one page with their compressed forms, per headline, plus the frame.</summary>
    internal long EstimatedSize => 8 * 1024 + List.Headlines.Count * 6 * 1024L;

    internal bool IsFresh(long version, DateTimeOffset now) =>
        Version == version && (ValidUntil is not { } until || now < until);
}
