using System.Diagnostics;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Partners;

namespace NewsFeed.Feeds;

/// <summary>Turns a <see cref="FeedKey"/> into bytes: one store query for the page, one document, one writer.</summary>
public sealed partial class FeedRenderer(
    IArticleStore store,
    TimeProvider time,
    IOptions<SiteOptions> siteOptions,
    IOptions<FeedOptions> feedOptions,
    IOptions<WebSubOptions> webSubOptions,
    IOptions<PartnerOptions> partnerOptions,
    PartnerStore partners,
    FeedMetrics metrics,
    ILogger<FeedRenderer> logger)
{
    /// <summary>The rendered feed, or null when the section/author/tag is unknown or the page is past the end.</summary>
    /// <param name="version">The feed's version read before querying, so a write racing the render marks it stale.</param>
    public async Task<RenderedFeed?> RenderAsync(FeedKey key, long version, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();

        var page = key.IsPartnerFeed
            ? await ReadPartnerPageAsync(key, cancellationToken)
            : await ReadPageAsync(key, now, cancellationToken);
        if (page is null)
        {
            return null;
        }
        var (termName, rows, sources, changedAt, validUntil) = page.Value;
        var hasNext = rows.Count > key.Limit;
        var items = rows.Take(key.Limit).Select(FeedXml.XmlSafe).ToList();

        var doc = Compose(key, termName, items, hasNext, now) with { Sources = sources };
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

    private async Task<(string? TermName, IReadOnlyList<Article> Rows, Dictionary<Guid, FeedSource> Sources, DateTimeOffset? ChangedAt, DateTimeOffset? ValidUntil)?> ReadPageAsync(
        FeedKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sources = new Dictionary<Guid, FeedSource>();
        var withPartners = key.Kind == FeedKind.Section && partnerOptions.Value.IncludeInSections;
        var offset = (key.Page - 1) * key.Limit;
        IReadOnlyList<StoredPartnerItem> partnerRows = [];
        if (withPartners)
        {
            // Both lists are newest first: the page of the merge lies within the first offset + limit + 1 of each.
            partnerRows = await partners.GetNewestAsync(null, key.Slug, 0, offset + key.Limit + 1, cancellationToken);
        }

        string? termName = null;
        if (key.Term is { } term && (termName = await store.FindTermNameAsync(term, now, cancellationToken)) is null)
        {
            if (partnerRows.Count == 0) return null;
            termName = PartnerArticles.SectionName(key.Slug!);
        }

        // One row more than the page tells whether a next page exists without counting the feed.
        IReadOnlyList<Article> rows;
        if (withPartners && partnerRows.Count > 0)
        {
            var articles = await store.GetNewestAsync(key.Term, now, 0, offset + key.Limit + 1, cancellationToken);
            var partnerArticles = partnerRows.Select(row => PartnerArticles.ToArticle(row, siteOptions.Value.Language)).ToList();
            foreach (var (article, source) in partnerArticles) sources[article.Id] = source;
            rows = articles.Concat(partnerArticles.Select(p => p.Article))
                .OrderByDescending(a => a.Published).ThenBy(a => a.Id)
                .Skip(offset).Take(key.Limit + 1).ToList();
        }
        else
        {
            rows = await store.GetNewestAsync(key.Term, now, offset, key.Limit + 1, cancellationToken);
        }
        if (rows.Count == 0 && key.Page > 1)
        {
            return null;
        }
        var validUntil = await store.GetNextEmbargoLiftAsync(now, cancellationToken);
        var changedAt = await store.GetFeedChangedAtAsync(key.Term, cancellationToken);
        if (withPartners && partners.ChangedAt(null) is { } partnerChange && (changedAt is null || partnerChange > changedAt)) changedAt = partnerChange;
        return (termName, rows, sources, changedAt, validUntil);
    }

    private async Task<(string? TermName, IReadOnlyList<Article> Rows, Dictionary<Guid, FeedSource> Sources, DateTimeOffset? ChangedAt, DateTimeOffset? ValidUntil)?> ReadPartnerPageAsync(
        FeedKey key, CancellationToken cancellationToken)
    {
        string? name = null;
        if (key.Kind == FeedKind.Partner && (name = (await partners.GetAsync(key.Slug!, cancellationToken))?.Partner.Name) is null)
        {
            return null;
        }
        var stored = await partners.GetNewestAsync(key.Kind == FeedKind.Partner ? key.Slug : null, null, (key.Page - 1) * key.Limit, key.Limit + 1, cancellationToken);
        if (stored.Count == 0 && key.Page > 1)
        {
            return null;
        }
        var sources = new Dictionary<Guid, FeedSource>();
        var rows = new List<Article>(stored.Count);
        foreach (var row in stored)
        {
            var (article, source) = PartnerArticles.ToArticle(row, siteOptions.Value.Language);
            sources[article.Id] = source;
            rows.Add(article);
        }
        var changedAt = partners.ChangedAt(key.Kind == FeedKind.Partner ? key.Slug : null);
        var fetched = stored.Take(key.Limit).Select(row => (DateTimeOffset?)row.FetchedAt).Append(changedAt).Max();
        return (name, rows, sources, fetched, null);
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
            FeedKind.Partners => ($"{site.Title}: from our partners", $"Stories from the partner publications of {site.Title}, each credited to its source."),
            FeedKind.Partner => ($"{site.Title}: {termName}", $"Stories from our partner {termName}, via {site.Title}."),
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
