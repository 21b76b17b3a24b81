using System.Diagnostics;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Site;
using NewsFeed.Text;

namespace NewsFeed.Feeds;

/// <summary>Turns a <see cref="FeedKey"/> into bytes: read the page (<see cref="FeedPageReader"/>), compose the document, write it.</summary>
internal sealed partial class FeedRenderer(
    FeedPageReader pages,
    TimeProvider time,
    IOptions<SiteOptions> siteOptions,
    IOptions<FeedOptions> feedOptions,
    FeedHubs hubs,
    FeedMetrics metrics,
    ILogger<FeedRenderer> logger)
{
    /// <summary>The rendered feed, or null when the section/author/tag/partner is unknown or the page is past the end.</summary>
    /// <param name="version">The feed's version read before reading the page, so a write racing the render marks it stale.</param>
    public async Task<CachedResponse?> RenderAsync(FeedKey key, long version, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        if (await pages.ReadAsync(key, now, cancellationToken) is not { } page)
        {
            return null;
        }
        var items = page.Items.Select(article => article.XmlSafe()).ToList();
        var doc = Compose(key, page, items, now);
        var body = key.Format switch
        {
            FeedFormat.Rss => RssFeedWriter.Write(doc),
            FeedFormat.Atom => AtomFeedWriter.Write(doc),
            _ => JsonFeedWriter.Write(doc),
        };

        var links = new List<string> { $"<{doc.SelfUrl}>; rel=\"self\"" };
        links.AddRange(doc.Hubs.Select(hub => $"<{hub}>; rel=\"hub\""));
        links.AddRange(doc.NavigationLinks().Select(link => $"<{link.Url}>; rel=\"{link.Rel}\""));

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        metrics.Rendered(key, elapsed);
        LogRendered(key, items.Count, body.Length, elapsed);
        return new CachedResponse(body, key.Format.ContentType(), LastModified(items, page.ChangedAt, now), string.Join(", ", links), version, page.ValidUntil);
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

    private FeedDocument Compose(FeedKey key, FeedPage page, List<Article> items, DateTimeOffset now)
    {
        var site = siteOptions.Value;
        var defaultLimit = feedOptions.Value.DefaultLimit;
        var baseUrl = site.BaseUrl;
        var name = page.Name;
        var (title, description) = key.Kind switch
        {
            FeedKind.Section => ($"{site.Title}: {name}", $"The latest {name} stories from {site.Title}."),
            FeedKind.Author => ($"{site.Title}: {name}", $"The latest stories by {name} for {site.Title}."),
            FeedKind.Tag => ($"{site.Title}: {name}", $"The latest stories about {name} from {site.Title}."),
            FeedKind.AllPartners => ($"{site.Title}: from our partners", $"Stories from the partner publications of {site.Title}, each credited to its source."),
            FeedKind.Partner => ($"{site.Title}: {name}", $"Stories from our partner {name}, via {site.Title}."),
            _ => (site.Title, site.Description),
        };
        if (key.Archive is { } month)
        {
            title += $" ({MonthName(month)})";
            description = $"{description} This is the archive of {MonthName(month)}.";
        }
        string? ArchiveUrl(FeedMonth? archive) => archive is { } m ? baseUrl + key.ArchivePathFor(m, key.Format) : null;
        return new FeedDocument
        {
            Key = key,
            Title = SafeText.Clean(title),
            Description = SafeText.Clean(description),
            Id = baseUrl + key.PathFor(key.Format),
            SelfUrl = key.Archive is { } self ? ArchiveUrl(self)! : key.UrlFor(baseUrl, key.Format, key.Page, defaultLimit),
            FirstUrl = key.UrlFor(baseUrl, key.Format, 1, defaultLimit),
            PreviousUrl = key.Page > 1 ? key.UrlFor(baseUrl, key.Format, key.Page - 1, defaultLimit) : null,
            NextUrl = page.HasNext ? key.UrlFor(baseUrl, key.Format, key.Page + 1, defaultLimit) : null,
            IsArchive = key.Archive is not null,
            CurrentUrl = key.Archive is not null ? baseUrl + key.PathFor(key.Format) : null,
            PrevArchiveUrl = ArchiveUrl(page.Archives?.Previous),
            NextArchiveUrl = ArchiveUrl(page.Archives?.Next),
            Updated = items.Count > 0 ? items.Max(a => a.Updated) : now,
            Items = items,
            // An archive is no WebSub topic: nothing will ever be announced for it.
            Hubs = key.Archive is null ? hubs.Urls : [],
            Site = site,
            StylesheetUrl = baseUrl + "feed.xsl",
            TimeToLive = feedOptions.Value.TimeToLive,
            Sources = page.Sources,
        };
    }

    /// <summary>"November 2026": our English wording, whatever the culture of the process.</summary>
    private static string MonthName(FeedMonth month) => month.Start.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rendered feed {Feed}: {Items} items, {Bytes} bytes in {Milliseconds:F2} ms")]
    private partial void LogRendered(FeedKey feed, int items, int bytes, double milliseconds);
}
