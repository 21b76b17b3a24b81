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
    ILogger<FeedRenderer> logger,
    EdgeTagging? edge = null)
{
    /// <summary>The rendered feed, or null when the section/author/tag/partner is unknown or the page is past the end.</summary>
    /// <param name="version">The feed's version read before reading the page, so a write racing the render marks it stale.</param>
    public async Task<CachedResponse?> RenderAsync(FeedKey key, long version, CancellationToken cancellationToken)
    {
        using var activity = NewsFeedActivity.Source.StartActivity("feed.render");
        activity?.SetTag("newsfeed.feed", key.ToString());
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var maxBytes = feedOptions.Value.MaxFeedBytes;
        var budget = new FeedBudget(Compose(key, null, LongestCursorPage, null, now), maxBytes, item => pages.WholeAsync(item, cancellationToken));
        if (await pages.ReadAsync(key, now, entries => budget.SelectAsync(entries, key.Limit), cancellationToken) is not { } page)
        {
            return null;
        }
        var selection = page.Selection;
        var doc = Compose(key, page.Name, selection, page.Archives, now);
        var body = FeedWriters.Write(doc);
        // The budget added up the items' measured sizes; the document is what counts. Never send one over it
        // that could be smaller: trim by what it is over and write again.
        while (body.Length > maxBytes && budget.Trim(selection, body.Length - maxBytes) is { } smaller)
        {
            selection = smaller;
            doc = Compose(key, page.Name, selection, page.Archives, now);
            body = FeedWriters.Write(doc);
        }
        var links = new List<string> { $"<{doc.SelfUrl}>; rel=\"self\"" };
        links.AddRange(doc.Hubs.Select(hub => $"<{hub}>; rel=\"hub\""));
        links.AddRange(doc.NavigationLinks().Select(link => $"<{link.Url}>; rel=\"{link.Rel}\""));

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        metrics.Rendered(key, elapsed);
        LogRendered(key, doc.Items.Count, body.Length, elapsed);
        return new CachedResponse(body, key.Format.ContentType(), LastModified(doc.Items, page.ChangedAt, now), string.Join(", ", links), version, page.ValidUntil)
        {
            Edge = edge?.ForFeed(key),
            // An archive month is history fetched once, not a subscription: readers are counted on the feed itself.
            CountAs = key.Archive is null ? key.CountingName : null,
        };
    }

    /// <summary>
    /// The latest of: an item's update, an item becoming visible (embargo lift), and the last write that
    /// added, changed or removed an article of this feed (retractions and backdated stories included,
    /// which the items alone cannot show). Never later than now (RFC 9110 §8.8.2.1); whole seconds.
    /// </summary>
    private static DateTimeOffset? LastModified(IReadOnlyList<Article> items, DateTimeOffset? changedAt, DateTimeOffset now)
    {
        var latest = items.Select(a => a.Updated > a.VisibleFrom ? a.Updated : a.VisibleFrom).Append(changedAt ?? DateTimeOffset.MinValue).Max();
        if (latest == DateTimeOffset.MinValue) return null;
        if (latest > now) latest = now;
        return DateTimeOffset.FromUnixTimeSeconds(latest.ToUnixTimeSeconds());
    }

    /// <summary>
    /// The document of <paramref name="selection"/>. Its <c>next</c> link starts below the last item it contains,
    /// so items left out (the byte budget) open the next page and none is skipped. There is no <c>previous</c>
    /// link on a page after the first: the page above a cursor would need its items read backwards (a second
    /// query per page in each store, and a second spelling of the same items); RFC 5005 makes it optional.
    /// </summary>
    private FeedDocument Compose(FeedKey key, string? name, FeedSelection selection, ArchiveNeighbours? archives, DateTimeOffset now)
    {
        var items = selection.Items.Select(entry => entry.Article).ToList();
        var site = siteOptions.Value;
        var defaultLimit = feedOptions.Value.DefaultLimit;
        var baseUrl = site.BaseUrl;
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
        string? ArchiveUrl(FeedMonth? archive, FeedCursor? before = null) => archive is { } m
            ? baseUrl + key.ArchivePathFor(m, key.Format) + FeedCursorParameter.QueryOf(before)
            : null;
        return new FeedDocument
        {
            Key = key,
            Title = SafeText.Clean(title),
            Description = SafeText.Clean(description),
            Id = baseUrl + key.PathFor(key.Format),
            SelfUrl = key.Archive is { } self ? ArchiveUrl(self, key.Before)! : key.UrlFor(baseUrl, key.Format, key.Before, defaultLimit),
            FirstUrl = key.UrlFor(baseUrl, key.Format, null, defaultLimit),
            NextUrl = selection.HasNext && selection.Items.Count > 0 ? key.UrlFor(baseUrl, key.Format, selection.Items[^1].Position, defaultLimit) : null,
            IsArchive = key.Archive is not null,
            CurrentUrl = key.Archive is not null ? baseUrl + key.PathFor(key.Format) : null,
            PrevArchiveUrl = ArchiveUrl(archives?.Previous, archives?.PreviousBefore),
            NextArchiveUrl = ArchiveUrl(archives?.Next),
            Updated = items.Count > 0 ? items.Max(a => a.Updated) : now,
            Items = items,
            FullContentItems = selection.FullContentItems,
            // An archive is no WebSub topic: nothing will ever be announced for it.
            Hubs = key.Archive is null ? hubs.Urls : [],
            Site = site,
            StylesheetUrl = baseUrl + "feed.xsl",
            TimeToLive = feedOptions.Value.TimeToLive,
            Sources = selection.Items.Where(entry => entry.Source is not null).ToDictionary(entry => entry.Article.Id, entry => entry.Source!),
        };
    }

    /// <summary>"November 2026": our English wording, whatever the culture of the process.</summary>
    private static string MonthName(FeedMonth month) => month.Start.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A page whose next link is as long as a cursor can make it: the frame the byte budget reserves room for.</summary>
    private static readonly FeedSelection LongestCursorPage = new(
        [new FeedItem(new FeedCursor(long.MinValue, FeedItemSource.Partner, long.MaxValue), new Article { Id = Guid.Empty, Slug = "", Url = "", Title = "", Published = default, Updated = default }, null)],
        FullContentItems: 0,
        HasNext: true);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rendered feed {Feed}: {Items} items, {Bytes} bytes in {Milliseconds:F2} ms")]
    private partial void LogRendered(FeedKey feed, int items, int bytes, double milliseconds);
}
