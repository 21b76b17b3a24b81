using NewsFeed.Articles;
using NewsFeed.Partners;

namespace NewsFeed.Feeds;

/// <summary>
/// Keeps one page within <c>Feeds:MaxFeedBytes</c> while its items are read, one at a time, newest first. Each item
/// keeps its full content only if that still leaves room for the summaries of the items still to come; from the
/// first that does not, every older item is written as its summary alone, and its body is dropped as soon as it is
/// read (a page of 100 stories of 450,000 characters never holds more than the budget's worth of bodies). A long
/// story's body the store left unread (<see cref="FeedItem.UnreadBody"/>) is read only when it could still fit: its
/// length in characters is a lower bound of what it adds in full (every writer sends the body at least once, and
/// escaping only lengthens it), so the bodies a page cannot keep are never read at all. Items
/// whose summary no longer fits are left for the next page. Sizes are the writers' own output, measured per item
/// (<see cref="FeedWriters.SizeOf"/>); the renderer checks the written document and, if the sum was off, asks
/// <see cref="Trim"/> for a smaller selection.
/// </summary>
internal sealed class FeedBudget
{
    private static readonly IReadOnlyDictionary<Guid, PartnerSource> NoSources = new Dictionary<Guid, PartnerSource>();

    private readonly FeedDocument _probe;
    private readonly long _maxBytes;
    private readonly long _emptySize;
    private readonly long _frameSize;
    // The written size of each selected item in full and as summary, newest first, for Trim.
    private readonly List<(long Full, long Summary)> _sizes = [];
    private readonly Func<FeedItem, ValueTask<FeedItem?>> _whole;

    /// <param name="probe">The page's document without items (its title may differ); its next link the longest a cursor makes.</param>
    /// <param name="whole">Reads an item's unread body (<see cref="FeedPageReader.WholeAsync"/>); null when it cannot.</param>
    public FeedBudget(FeedDocument probe, long maxBytes, Func<FeedItem, ValueTask<FeedItem?>> whole)
    {
        _probe = probe with { Items = [], Sources = NoSources };
        _maxBytes = maxBytes;
        _whole = whole;
        _emptySize = FeedWriters.SizeOf(_probe with { NextUrl = null });
        _frameSize = FeedWriters.SizeOf(_probe);
    }

    /// <summary>The page's items from <paramref name="entries"/> (newest first, at most one more than <paramref name="limit"/>), made XML-safe.</summary>
    public async ValueTask<FeedSelection> SelectAsync(IAsyncEnumerable<FeedItem> entries, int limit)
    {
        _sizes.Clear();
        var items = new List<FeedItem>(Math.Min(limit, 1000));
        var used = _frameSize;
        var fullItems = 0;
        var keepFull = true;
        // The largest summary seen: what each item still to come is expected to need at least.
        var reserve = 0L;
        await foreach (var entry in entries)
        {
            if (items.Count == limit) return new FeedSelection(items, fullItems, HasNext: true);
            var summary = AsSummary(entry);
            var summarySize = SizeOf(summary, fullContent: false);
            reserve = Math.Max(reserve, summarySize);
            var toCome = limit - items.Count - 1;
            var read = entry;
            if (keepFull && entry.UnreadBody > 0)
            {
                // Its body is read only if it could fit; an article changed since the page read it goes as its summary.
                var whole = used + entry.UnreadBody + toCome * reserve <= _maxBytes ? await _whole(entry) : null;
                if (whole is null) keepFull = false;
                else read = whole;
            }
            if (keepFull)
            {
                var full = read with { Article = read.Article.XmlSafe() };
                var fullSize = SizeOf(full, fullContent: true);
                if (used + fullSize + toCome * reserve <= _maxBytes)
                {
                    items.Add(full);
                    _sizes.Add((fullSize, summarySize));
                    used += fullSize;
                    fullItems++;
                    continue;
                }
                keepFull = false;
            }
            // Bodies go before items do: newer items give up their full content while this summary does not fit.
            while (used + summarySize > _maxBytes && fullItems > 0)
            {
                fullItems--;
                used -= _sizes[fullItems].Full - _sizes[fullItems].Summary;
                items[fullItems] = AsSummary(items[fullItems]);
                _sizes[fullItems] = (_sizes[fullItems].Summary, _sizes[fullItems].Summary);
            }
            // Never an empty page: a first item too large even as a summary is still sent, as a summary.
            if (used + summarySize > _maxBytes && items.Count > 0) return new FeedSelection(items, fullItems, HasNext: true);
            items.Add(summary);
            _sizes.Add((summarySize, summarySize));
            used += summarySize;
        }
        return new FeedSelection(items, fullItems, HasNext: false);
    }

    /// <summary>
    /// A selection at least <paramref name="excess"/> bytes smaller by the measured sizes: the oldest full items
    /// become summaries first, then the oldest items are left for the next page; null when it cannot shrink
    /// (one item, already a summary).
    /// </summary>
    public FeedSelection? Trim(FeedSelection selection, long excess)
    {
        var items = selection.Items.ToList();
        var fullItems = Math.Min(selection.FullContentItems, items.Count);
        var hasNext = selection.HasNext;
        var saved = 0L;
        while (saved < excess && fullItems > 0)
        {
            fullItems--;
            saved += _sizes[fullItems].Full - _sizes[fullItems].Summary;
            items[fullItems] = AsSummary(items[fullItems]);
            _sizes[fullItems] = (_sizes[fullItems].Summary, _sizes[fullItems].Summary);
        }
        while (saved < excess && items.Count > 1)
        {
            saved += _sizes[items.Count - 1].Summary;
            _sizes.RemoveAt(items.Count - 1);
            items.RemoveAt(items.Count - 1);
            hasNext = true;
        }
        return saved == 0 ? null : new FeedSelection(items, fullItems, hasNext);
    }

    /// <summary>The item as the page writes it when it gives up its full content: its body dropped, XML-safe.</summary>
    private static FeedItem AsSummary(FeedItem item) => item with { Article = (item.Article with { Body = "" }).XmlSafe() };

    /// <summary>What the item adds to the document: the writer's output with it, less the output without it.</summary>
    private long SizeOf(FeedItem item, bool fullContent) => FeedWriters.SizeOf(_probe with
    {
        NextUrl = null,
        Items = [item.Article],
        FullContentItems = fullContent ? 1 : 0,
        Sources = item.Source is { } source ? new Dictionary<Guid, PartnerSource> { [item.Article.Id] = source } : NoSources,
    }) - _emptySize;
}
