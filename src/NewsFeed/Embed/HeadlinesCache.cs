using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Feeds;
using NewsFeed.Site;
using NewsFeed.Storage;
using NewsFeed.Text;

namespace NewsFeed.Embed;

/// <summary>
/// Headline lists by (section, limit) in a size-limited <see cref="MemoryCache"/> of their own. As
/// with feeds, an entry is fresh while its feed's version in the store (latest or the section, moved by
/// every committed write that touches that feed) is the one it was read at and no embargo has lifted since: a publish shows in the next request, and
/// nothing expires on a timer. Concurrent misses may each read the store once; a list is one
/// indexed query of a few rows, so that is cheaper than coordinating them.
/// </summary>
internal sealed class HeadlinesCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly IArticleStore _store;
    private readonly TimeProvider _time;
    private readonly IOptions<SiteOptions> _site;

    private readonly EdgeTagging _edge;

    public HeadlinesCache(IArticleStore store, TimeProvider time, IOptions<SiteOptions> site, IOptions<EmbedOptions> options, EdgeTagging? edge = null)
    {
        _edge = edge ?? EdgeTagging.Off;
        _store = store;
        _time = time;
        _site = site;
        // As the feed cache's: the clock only orders entries by last access, so a coarse one spares every hit a clock read.
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheSizeMegabytes * 1024L * 1024L, Clock = CoarseClock.System });
    }

    /// <summary>The newest headlines of a section (null: the whole site), or null when there is no such section.</summary>
    public async ValueTask<HeadlinesSnapshot?> GetAsync(string? section, int limit, CancellationToken cancellationToken)
    {
        // The list's feed version (latest or the section), read before querying, so a write racing the
        // read leaves the entry already stale, and writes to other sections leave it warm.
        TermRef? feed = section is null ? null : new TermRef(TermKind.Section, section);
        var now = _time.GetUtcNow();
        var key = (section, limit);
        _cache.TryGetValue(key, out HeadlinesSnapshot? cached);
        try
        {
            var version = await _store.VersionOfAsync(feed, cancellationToken);
            if (cached is not null && cached.IsFresh(version, now))
            {
                return cached;
            }
            return await ReadAsync(feed, section, limit, version, now, cancellationToken);
        }
        catch (Exception exception) when (cached is not null && StoreUnavailable.Is(exception))
        {
            // The store is unreachable: the list already held is served as it is, as feeds are.
            return cached;
        }
    }

    private async ValueTask<HeadlinesSnapshot?> ReadAsync(TermRef? feed, string? section, int limit, long version, DateTimeOffset now, CancellationToken cancellationToken)
    {

        var site = _site.Value;
        HeadlineSection? listed = null;
        if (feed is { } sectionFeed)
        {
            var name = await _store.FindTermNameAsync(sectionFeed, now, cancellationToken);
            if (name is null) return null;
            listed = new HeadlineSection(sectionFeed.Slug, SafeText.Clean(name));
        }
        var articles = await _store.GetNewestAsync(feed, now, limit, cancellationToken);
        var validUntil = await _store.GetNextEmbargoLiftAsync(now, cancellationToken);

        var source = new HeadlineSource(HeadlineSource.Publisher, SafeText.Clean(site.Title), site.Link);
        var headlines = articles.Select(article => article.XmlSafe()).Select(article => new Headline(
            FeedIds.ForArticle(article),
            article.Title,
            article.Url,
            article.Summary,
            article.Image is { } image ? new HeadlineThumbnail(image.Url, image.Width, image.Height, image.Alt) : null,
            article.Published,
            listed ?? article.Sections.Select(s => new HeadlineSection(s.Slug, s.Name)).FirstOrDefault(),
            source,
            article.Language)).ToList();
        var list = new HeadlineList(
            listed is null ? SafeText.Clean(site.Title) : SafeText.Clean($"{site.Title}: {listed.Name}"),
            site.Link,
            site.BaseUrl + FeedKey.PathOf(FeedKey.KindOf(feed), section, FeedFormat.Rss),
            listed,
            headlines);

        var snapshot = new HeadlinesSnapshot(list, site.Language, version, validUntil, _edge.ForHeadlines(feed));
        _cache.Set((section, limit), snapshot, new MemoryCacheEntryOptions { Size = snapshot.Size });
        return snapshot;
    }

    public void Dispose() => _cache.Dispose();
}
