using NewsFeed.Articles;

namespace NewsFeed.Partners;

/// <summary>Reads every partner store answers the same way, built on its members.</summary>
internal static class PartnerStoreReads
{
    /// <summary>The first <paramref name="count"/> items, newest first (tests, tools).</summary>
    public static async Task<IReadOnlyList<StoredPartnerItem>> GetNewestAsync(this IPartnerStore store, string? partnerId, string? section, int count, CancellationToken cancellationToken)
    {
        var items = new List<StoredPartnerItem>(Math.Min(count, 1000));
        await foreach (var row in store.ReadNewestAsync(partnerId, section, RowKey.Top, count, cancellationToken)) items.Add(row.Item);
        return items;
    }
}
