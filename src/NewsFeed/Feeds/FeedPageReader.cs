using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Site;

namespace NewsFeed.Feeds;

/// <summary>
/// The one place that decides what a page of a feed is: which store it reads (articles, partner items, or both
/// for a section feed under <c>Partners:IncludeInSections</c>), in which order (<see cref="FeedCursor"/>), and so
/// which version it reflects. The cache asks it for the version, the renderer for the page; both follow the same rule.
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
    /// <remarks>
    /// Asked on every request, so not an async method: the stores' versions are in memory and their ValueTasks
    /// complete at once, and passing them through saves the state machine a cached request would otherwise run.
    /// </remarks>
    public ValueTask<long> VersionOfAsync(FeedKey key, CancellationToken cancellationToken) => key.Kind switch
    {
        FeedKind.AllPartners => partners.VersionOfAsync(null, cancellationToken),
        FeedKind.Partner => partners.VersionOfAsync(key.Slug, cancellationToken),
        _ when ShowsPartnerItems(key) => Sum(store.VersionOfAsync(key.Term, cancellationToken), partners.VersionOfAsync(null, cancellationToken)),
        _ => store.VersionOfAsync(key.Term, cancellationToken),
    };

    private static ValueTask<long> Sum(ValueTask<long> articles, ValueTask<long> partnerItems) =>
        articles.IsCompletedSuccessfully && partnerItems.IsCompletedSuccessfully
            ? new(articles.Result + partnerItems.Result)
            : SumAsync(articles, partnerItems);

    private static async ValueTask<long> SumAsync(ValueTask<long> articles, ValueTask<long> partnerItems) =>
        await articles + await partnerItems;

    /// <summary>
    /// The page, or null when the section, author, tag or partner is unknown or the page is past the end. The
    /// feed's entries below <see cref="FeedKey.Before"/> are read one at a time, newest first, at most one more
    /// than the page holds, and <paramref name="select"/> decides which the page shows (and in what form) as they come.
    /// </summary>
    public async Task<FeedPage?> ReadAsync(FeedKey key, DateTimeOffset now,
        Func<IAsyncEnumerable<FeedItem>, ValueTask<FeedSelection>> select, CancellationToken cancellationToken)
    {
        if (key.Archive is { } month)
        {
            return await ReadArchiveAsync(key, month, now, select, cancellationToken);
        }
        string? name = null;
        if (key.Kind == FeedKind.Partner && (name = (await partners.GetAsync(key.Slug!, cancellationToken))?.Partner.Name) is null)
        {
            return null;
        }
        if (key.Term is { } term) name = await store.FindTermNameAsync(term, now, cancellationToken);

        var selection = await select(EntriesAsync(key, now, key.Before, key.Limit + 1, cancellationToken));
        if (key.Term is not null && name is null)
        {
            // No article ever made the term public; a section only partners have filled is named after its slug.
            if (selection.Items.Count == 0) return null;
            name = PartnerArticles.SectionName(key.Slug!);
        }
        if (selection.Items.Count == 0 && key.Before is not null)
        {
            return null;
        }

        if (key.IsPartnerFeed)
        {
            // Partner items carry no feed-change stamp in the store: the newest fetch of the page's items stands in.
            var partnerId = key.Kind == FeedKind.Partner ? key.Slug : null;
            var fetched = selection.Items.Select(entry => entry.Source?.FetchedAt).Append(await partners.ChangedAtAsync(partnerId, cancellationToken)).Max();
            return new FeedPage(name, selection, fetched, null);
        }
        var validUntil = await store.GetNextEmbargoLiftAsync(now, cancellationToken);
        var changedAt = await store.GetFeedChangedAtAsync(key.Term, cancellationToken);
        if (ShowsPartnerItems(key) && await partners.ChangedAtAsync(null, cancellationToken) is { } partnerChange && (changedAt is null || partnerChange > changedAt)) changedAt = partnerChange;
        // The subscription document leads to the archives: the month of the feed's newest visible article (§4).
        var archives = key.Before is null
            ? new ArchiveNeighbours(await NewestArticleMonthAsync(key, selection, now, cancellationToken), null, null)
            : null;
        return new FeedPage(name, selection, changedAt, validUntil) { Archives = archives };
    }

    /// <summary>
    /// The month of the feed's newest visible article: the first article of its first page, which the page has
    /// just read (in order, so no article above it is left out); the store is asked only when the page shows none
    /// (a section whose first page is all partner items).
    /// </summary>
    private async ValueTask<FeedMonth?> NewestArticleMonthAsync(FeedKey key, FeedSelection firstPage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var item in firstPage.Items)
        {
            if (item.Position.Source == FeedItemSource.Article) return FeedMonth.Of(item.Article.Published);
        }
        return MonthOf(await store.GetNewestPublishedBeforeAsync(key.Term, now, DateTimeOffset.MaxValue, cancellationToken));
    }

    /// <summary>
    /// One RFC 5005 archive document: the feed's visible articles published in the month, below
    /// <see cref="FeedKey.Before"/> when a long month continues from the document before (articles only: partner
    /// items are the partners' own, and their stores keep only the latest of each), and its neighbours. Null when
    /// there is nothing to show. Valid until the first of the month's embargoed articles lifts.
    /// </summary>
    private async Task<FeedPage?> ReadArchiveAsync(FeedKey key, FeedMonth month, DateTimeOffset now,
        Func<IAsyncEnumerable<FeedItem>, ValueTask<FeedSelection>> select, CancellationToken cancellationToken)
    {
        if (key.IsPartnerFeed || month.Start > now)
        {
            return null;
        }
        var below = key.Before?.ArticlesBefore ?? new RowKey(month.End.ToUnixTimeMilliseconds(), 0);
        var selection = await select(ArchivedEntriesAsync(key.Term, now, month.Start, below, key.Limit + 1, cancellationToken));
        if (selection.Items.Count == 0)
        {
            return null;
        }
        var name = key.Term is { } term ? await store.FindTermNameAsync(term, now, cancellationToken) : null;
        // A month longer than one document continues in the next (same month, below this one's last item); a
        // continued document has no next-archive: the one above it is found by following prev-archive, not back.
        var archives = selection.HasNext
            ? new ArchiveNeighbours(month, selection.Items[^1].Position, null)
            : new ArchiveNeighbours(MonthOf(await store.GetNewestPublishedBeforeAsync(key.Term, now, month.Start, cancellationToken)), null, null);
        if (key.Before is null)
        {
            archives = archives with { Next = MonthOf(await store.GetOldestPublishedFromAsync(key.Term, now, month.End, cancellationToken)) };
        }
        var changedAt = await store.GetFeedChangedAtAsync(key.Term, cancellationToken);
        var pendingUntil = await store.GetPendingLiftAsync(now, month.Start, month.End, cancellationToken);
        return new FeedPage(name, selection with { HasNext = false }, changedAt, pendingUntil) { Archives = archives };
    }

    private static FeedMonth? MonthOf(DateTimeOffset? published) => published is { } at ? FeedMonth.Of(at) : null;

    private async IAsyncEnumerable<FeedItem> ArchivedEntriesAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, RowKey before, int count,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in store.ReadArchivedAsync(term, now, from, before, count, cancellationToken))
        {
            yield return new FeedItem(FeedCursor.OfArticle(row.Key), row.Item, null, row.UnreadBody);
        }
    }

    /// <summary>
    /// Where page <paramref name="page"/> of an old <c>?page=N</c> link starts: the position of the last item of the
    /// page before it, or null when the feed has no item below it (the page is past the end). Reads only sort keys,
    /// from the feed indexes (no document), at most (page - 1) × limit + 1 of them from each store: bounded by
    /// <c>Feeds:MaxPage</c> × <c>Feeds:MaxLimit</c>.
    /// </summary>
    public async Task<FeedCursor?> CursorOfPageAsync(FeedKey key, int page, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var above = (page - 1) * key.Limit;
        FeedCursor? last = null;
        var seen = 0;
        await foreach (var position in PositionsAsync(key, now, above + 1, cancellationToken))
        {
            if (++seen > above) return last;
            last = position;
        }
        return null;
    }

    /// <summary><c>Partners:IncludeInSections</c>: a section feed also lists the partner items filed under its section.</summary>
    private bool ShowsPartnerItems(FeedKey key) => key.Kind == FeedKind.Section && _partnersInSections && key.Archive is null;

    /// <summary>The feed's entries below <paramref name="before"/>, newest first, at most <paramref name="count"/>.</summary>
    private IAsyncEnumerable<FeedItem> EntriesAsync(FeedKey key, DateTimeOffset now, FeedCursor? before, int count, CancellationToken cancellationToken)
    {
        if (key.IsPartnerFeed)
        {
            return PartnerEntriesAsync(key.Kind == FeedKind.Partner ? key.Slug : null, null, before, count, cancellationToken);
        }
        var articles = ArticleEntriesAsync(key.Term, now, before, count, cancellationToken);
        // Each list is newest first: the first count of the merge lie within the first count of each.
        return ShowsPartnerItems(key)
            ? NewestFirst.Merge(articles, PartnerEntriesAsync(null, key.Slug, before, count, cancellationToken), entry => entry.Position, count)
            : articles;
    }

    private async IAsyncEnumerable<FeedItem> ArticleEntriesAsync(TermRef? term, DateTimeOffset now, FeedCursor? before, int count,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in store.ReadNewestAsync(term, now, before?.ArticlesBefore ?? RowKey.Top, count, cancellationToken))
        {
            yield return new FeedItem(FeedCursor.OfArticle(row.Key), row.Item, null, row.UnreadBody);
        }
    }

    /// <summary>
    /// <paramref name="item"/> with the body the store left unread (<see cref="FeedItem.UnreadBody"/>), for a page
    /// that sends it in full; null when the article changed or left since the page read it (a write the feed's
    /// version has already marked), so the page sends the summary it has.
    /// </summary>
    public async ValueTask<FeedItem?> WholeAsync(FeedItem item, CancellationToken cancellationToken)
    {
        if (item.UnreadBody == 0) return item;
        return await store.GetAtAsync(new RowKey(item.Position.Time, item.Position.Seq), cancellationToken) is { } whole && whole.Id == item.Article.Id && whole.Updated == item.Article.Updated
            ? item with { Article = whole, UnreadBody = 0 }
            : null;
    }

    private async IAsyncEnumerable<FeedItem> PartnerEntriesAsync(string? partnerId, string? section, FeedCursor? before, int count,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in partners.ReadNewestAsync(partnerId, section, before?.PartnerItemsBefore ?? RowKey.Top, count, cancellationToken))
        {
            var (article, source) = PartnerArticles.ToArticle(row.Item, site.Value.Language);
            yield return new FeedItem(FeedCursor.OfPartnerItem(row.Key), article, source);
        }
    }

    /// <summary>The positions of the feed's first <paramref name="count"/> entries, newest first, from the stores' keys alone.</summary>
    private IAsyncEnumerable<FeedCursor> PositionsAsync(FeedKey key, DateTimeOffset now, int count, CancellationToken cancellationToken)
    {
        if (key.IsPartnerFeed)
        {
            return PartnerPositionsAsync(key.Kind == FeedKind.Partner ? key.Slug : null, null, count, cancellationToken);
        }
        var articles = ArticlePositionsAsync(key.Term, now, count, cancellationToken);
        return ShowsPartnerItems(key)
            ? NewestFirst.Merge(articles, PartnerPositionsAsync(null, key.Slug, count, cancellationToken), position => position, count)
            : articles;
    }

    private async IAsyncEnumerable<FeedCursor> ArticlePositionsAsync(TermRef? term, DateTimeOffset now, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var key in store.ReadNewestKeysAsync(term, now, count, cancellationToken)) yield return FeedCursor.OfArticle(key);
    }

    private async IAsyncEnumerable<FeedCursor> PartnerPositionsAsync(string? partnerId, string? section, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var key in partners.ReadNewestKeysAsync(partnerId, section, count, cancellationToken)) yield return FeedCursor.OfPartnerItem(key);
    }
}
