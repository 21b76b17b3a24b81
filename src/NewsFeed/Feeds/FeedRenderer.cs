using System.Diagnostics;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;

namespace NewsFeed.Feeds;

/// <summary>Turns a <see cref="FeedKey"/> into bytes: one store query for the page, one document, one writer.</summary>
public sealed partial class FeedRenderer(
    IArticleStore store,
    TimeProvider time,
    IOptions<SiteOptions> siteOptions,
    IOptions<FeedOptions> feedOptions,
    IOptions<WebSubOptions> webSubOptions,
    FeedMetrics metrics,
    ILogger<FeedRenderer> logger)
{
    /// <summary>The rendered feed, or null when the section/author/tag is unknown or the page is past the end.</summary>
    /// <param name="version">The feed's version read before querying, so a write racing the render marks it stale.</param>
    public async Task<RenderedFeed?> RenderAsync(FeedKey key, long version, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();

        string? termName = null;
        if (key.Term is { } term && (termName = await store.FindTermNameAsync(term, now, cancellationToken)) is null)
        {
            return null;
        }

        // One row more than the page tells whether a next page exists without counting the feed.
        var rows = await store.GetNewestAsync(key.Term, now, (key.Page - 1) * key.Limit, key.Limit + 1, cancellationToken);
        if (rows.Count == 0 && key.Page > 1)
        {
            return null;
        }
        var hasNext = rows.Count > key.Limit;
        var items = rows.Take(key.Limit).Select(FeedXml.XmlSafe).ToList();
        var validUntil = await store.GetNextEmbargoLiftAsync(now, cancellationToken);
        var changedAt = await store.GetFeedChangedAtAsync(key.Term, cancellationToken);

        var doc = Compose(key, termName, items, hasNext, now);
        var body = key.Format switch
        {
            FeedFormat.Rss => RssFeedWriter.Write(doc),
            FeedFormat.Atom => AtomFeedWriter.Write(doc),
            _ => JsonFeedWriter.Write(doc),
        };

        var lastModified = LastModified(items, changedAt, now);
        var links = new List<string> { $"<{doc.SelfUrl}>; rel=\"self\"" };
        links.AddRange(doc.Hubs.Select(hub => $"<{hub}>; rel=\"hub\""));
        links.AddRange(doc.NavigationLinks().Select(link => $"<{link.Url}>; rel=\"{link.Rel}\""));

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        metrics.Rendered(key, elapsed);
        LogRendered(key, items.Count, body.Length, elapsed);
        return new RenderedFeed(key, body, lastModified, string.Join(", ", links), version, validUntil);
    }

    /// <summary>
    /// The latest of: an item's update, an item becoming visible (embargo lift), and the last write that
    /// added, changed or removed an article of this feed (retractions and backdated stories included,
    /// which the items alone cannot show). Never later than now (RFC 9110 §8.8.2.1); whole seconds.
    /// </summary>
    private static DateTimeOffset? LastModified(List<Article> items, DateTimeOffset? changedAt, DateTimeOffset now)
    {
        var latest = items.Select(a => a.Updated > a.VisibleFrom ? a.Updated : a.VisibleFrom).Append(changedAt ?? DateTimeOffset.MinValue).Max();
        if (latest == DateTimeOffset.MinValue) return null;
        if (latest > now) latest = now;
        return DateTimeOffset.FromUnixTimeSeconds(latest.ToUnixTimeSeconds());
    }

    private FeedDocument Compose(FeedKey key, string? termName, List<Article> items, bool hasNext, DateTimeOffset now)
    {
        var site = siteOptions.Value;
        var defaultLimit = feedOptions.Value.DefaultLimit;
        var baseUrl = site.BaseUrl;
        var (title, description) = key.Kind switch
        {
            FeedKind.Section => ($"{site.Title}: {termName}", $"The latest {termName} stories from {site.Title}."),
            FeedKind.Author => ($"{site.Title}: {termName}", $"The latest stories by {termName} for {site.Title}."),
            FeedKind.Tag => ($"{site.Title}: {termName}", $"The latest stories about {termName} from {site.Title}."),
            _ => (site.Title, site.Description),
        };
        return new FeedDocument
        {
            Key = key,
            Title = FeedXml.Clean(title),
            Description = FeedXml.Clean(description),
            Id = baseUrl + key.PathFor(key.Format),
            SelfUrl = key.UrlFor(baseUrl, key.Format, key.Page, defaultLimit),
            FirstUrl = key.UrlFor(baseUrl, key.Format, 1, defaultLimit),
            PreviousUrl = key.Page > 1 ? key.UrlFor(baseUrl, key.Format, key.Page - 1, defaultLimit) : null,
            NextUrl = hasNext ? key.UrlFor(baseUrl, key.Format, key.Page + 1, defaultLimit) : null,
            Updated = items.Count > 0 ? items.Max(a => a.Updated) : now,
            Items = items,
            Hubs = webSubOptions.Value.Hubs,
            Site = site,
            StylesheetUrl = baseUrl + "feed.xsl",
            TimeToLive = feedOptions.Value.TimeToLive,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rendered feed {Feed}: {Items} items, {Bytes} bytes in {Milliseconds:F2} ms")]
    private partial void LogRendered(FeedKey feed, int items, int bytes, double milliseconds);
}
