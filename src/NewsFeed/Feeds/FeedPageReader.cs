using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Site;

namespace NewsFeed.Feeds;

/// <summary>
/// The one place that decides what a page of a feed is: which store it reads (articles, partner items, or both
/// for a section feed under <c>Partners:IncludeInSections</c>), and so which version it reflects. The cache
/// asks it for the version, the renderer for the page; both follow the same rule.
/// </summary>
internal sealed class FeedPageReader(IArticleStore store, IPartnerStore partners, IOptions<SiteOptions> site, IOptions<PartnerOptions> partnerOptions, IOptions<FeedOptions> feedOptions)
{
    private readonly bool _partnersInSections = partnerOptions.Value.IncludeInSections;
    private readonly int _maxArchiveItems = feedOptions.Value.MaxArchiveItems;

    /// <summary>
    /// The version a page of <paramref name="key"/> reflects: partner feeds move with partner writes only,
    /// article feeds with article writes only, and section feeds that show partner items with either (both
    /// versions only grow, so their sum moves whenever one does).
    /// </summary>
    public async ValueTask<long> VersionOfAsync(FeedKey key, CancellationToken cancellationToken) => key.Kind switch
    {
        FeedKind.AllPartners => await partners.VersionOfAsync(null, cancellationToken),
        FeedKind.Partner => await partners.VersionOfAsync(key.Slug, cancellationToken),
        _ when ShowsPartnerItems(key) => await store.VersionOfAsync(key.Term, cancellationToken) + await partners.VersionOfAsync(null, cancellationToken),
        _ => await store.VersionOfAsync(key.Term, cancellationToken),
    };

    /// <summary>The page, or null when the section, author, tag or partner is unknown or the page is past the end.</summary>
    public Task<FeedPage?> ReadAsync(FeedKey key, DateTimeOffset now, CancellationToken cancellationToken) =>
        key.Archive is { } month ? ReadArchiveAsync(key, month, now, cancellationToken)
        : key.IsPartnerFeed ? ReadPartnerFeedAsync(key, cancellationToken)
        : ReadArticleFeedAsync(key, now, cancellationToken);

    /// <summary><c>Partners:IncludeInSections</c>: a section feed also lists the partner items filed under its section.</summary>
    private bool ShowsPartnerItems(FeedKey key) => key.Kind == FeedKind.Section && _partnersInSections && key.Archive is null;

    private async Task<FeedPage?> ReadArticleFeedAsync(FeedKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = key.Term is { } term ? await store.FindTermNameAsync(term, now, cancellationToken) : null;
        var withPartners = ShowsPartnerItems(key);
        var sources = new Dictionary<Guid, PartnerSource>();
        var page = await ListPage<Article>.ReadAsync(key.Page, key.Limit, (offset, count) => withPartners
            ? ReadWithPartnerItemsAsync(key, now, offset, count, sources, cancellationToken)
            : store.GetNewestAsync(key.Term, now, offset, count, cancellationToken));
        if (key.Term is not null && name is null)
        {
            // No article ever made the term public; a section only partners have filled is named after its slug.
            if (page.Items.Count == 0) return null;
            name = PartnerArticles.SectionName(key.Slug!);
        }
        if (page.Items.Count == 0 && key.Page > 1)
        {
            return null;
        }
        var validUntil = await store.GetNextEmbargoLiftAsync(now, cancellationToken);
        var changedAt = await store.GetFeedChangedAtAsync(key.Term, cancellationToken);
        if (withPartners && await partners.ChangedAtAsync(null, cancellationToken) is { } partnerChange && (changedAt is null || partnerChange > changedAt)) changedAt = partnerChange;
        // The subscription document leads to the archives: the month of the feed's newest visible article (§4).
        var archives = key.Page == 1
            ? new ArchiveNeighbours(MonthOf(await store.GetNewestPublishedBeforeAsync(key.Term, now, DateTimeOffset.MaxValue, cancellationToken)), null)
            : null;
        return new FeedPage(name, page.Items, page.HasNext, sources, changedAt, validUntil) { Archives = archives };
    }

    /// <summary>
    /// One RFC 5005 archive document: the feed's visible articles published in the month (articles only: partner
    /// items are the partners' own, and their stores keep only the latest of each), and its neighbouring months.
    /// Null when the month has nothing to show. Valid until the first of the month's embargoed articles lifts.
    /// </summary>
    private async Task<FeedPage?> ReadArchiveAsync(FeedKey key, FeedMonth month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (key.IsPartnerFeed || month.Start > now)
        {
            return null;
        }
        var archived = await store.GetArchivedAsync(key.Term, now, month.Start, month.End, _maxArchiveItems, cancellationToken);
        if (archived.Items.Count == 0)
        {
            return null;
        }
        var name = key.Term is { } term ? await store.FindTermNameAsync(term, now, cancellationToken) : null;
        var previous = await store.GetNewestPublishedBeforeAsync(key.Term, now, month.Start, cancellationToken);
        var next = await store.GetOldestPublishedFromAsync(key.Term, now, month.End, cancellationToken);
        var changedAt = await store.GetFeedChangedAtAsync(key.Term, cancellationToken);
        return new FeedPage(name, archived.Items, false, new Dictionary<Guid, PartnerSource>(), changedAt, archived.PendingUntil)
        {
            Archives = new ArchiveNeighbours(MonthOf(previous), MonthOf(next)),
        };
    }

    private static FeedMonth? MonthOf(DateTimeOffset? published) => published is { } at ? FeedMonth.Of(at) : null;

    /// <summary>Rows <paramref name="offset"/> on of the section's articles and partner items merged, newest first.</summary>
    private async Task<IReadOnlyList<Article>> ReadWithPartnerItemsAsync(
        FeedKey key, DateTimeOffset now, int offset, int count, Dictionary<Guid, PartnerSource> sources, CancellationToken cancellationToken)
    {
        // Both lists are newest first: the rows of the merge asked for lie within the first offset + count of each.
        var articles = await store.GetNewestAsync(key.Term, now, 0, offset + count, cancellationToken);
        var partnerItems = (await partners.GetNewestAsync(null, key.Slug, 0, offset + count, cancellationToken))
            .Select(row => PartnerArticles.ToArticle(row, site.Value.Language))
            .ToList();
        foreach (var (article, source) in partnerItems) sources[article.Id] = source;
        return articles.Concat(partnerItems.Select(p => p.Article))
            .OrderByDescending(a => a.Published).ThenBy(a => a.Id)
            .Skip(offset).Take(count).ToList();
    }

    private async Task<FeedPage?> ReadPartnerFeedAsync(FeedKey key, CancellationToken cancellationToken)
    {
        var partnerId = key.Kind == FeedKind.Partner ? key.Slug : null;
        string? name = null;
        if (partnerId is not null && (name = (await partners.GetAsync(partnerId, cancellationToken))?.Partner.Name) is null)
        {
            return null;
        }
        var page = await ListPage<StoredPartnerItem>.ReadAsync(key.Page, key.Limit, (offset, count) =>
            partners.GetNewestAsync(partnerId, null, offset, count, cancellationToken));
        if (page.Items.Count == 0 && key.Page > 1)
        {
            return null;
        }
        var sources = new Dictionary<Guid, PartnerSource>();
        var items = new List<Article>(page.Items.Count);
        foreach (var row in page.Items)
        {
            var (article, source) = PartnerArticles.ToArticle(row, site.Value.Language);
            sources[article.Id] = source;
            items.Add(article);
        }
        // Partner items carry no feed-change stamp in the store: the newest fetch of the page's items stands in.
        var changedAt = page.Items.Select(row => (DateTimeOffset?)row.FetchedAt).Append(await partners.ChangedAtAsync(partnerId, cancellationToken)).Max();
        return new FeedPage(name, items, page.HasNext, sources, changedAt, null);
    }
}
