namespace NewsFeed.Partners;

/// <summary>A partner item as the store holds it, as far as merging a new fetch into it needs.</summary>
internal sealed record KnownPartnerItem(string ContentHash, DateTimeOffset FirstSeen, bool Unlisted, string? Url);

/// <summary>
/// What one successful fetch does to a partner's stored items, decided once for both engines' stores, which only
/// carry it out in their SQL. The first copy of a repeated key wins; a story the partner gave a new guid keeps its
/// stored key (<see cref="PartnerItemIdentity"/>). An item listed with the content it has is only marked listed; a
/// new or changed one is written (a changed one keeping when we first saw it); a stored item the fetch left out is
/// marked unlisted (if it was not already).
/// </summary>
internal sealed class PartnerItemMerge
{
    private PartnerItemMerge(IReadOnlyList<string> stillListed, IReadOnlyList<StoredPartnerItem> writes, IReadOnlyList<string> newlyUnlisted)
    {
        StillListed = stillListed;
        Writes = writes;
        NewlyUnlisted = newlyUnlisted;
    }

    /// <summary>Keys listed again with the content stored: their last-seen time moves, and they are listed.</summary>
    public IReadOnlyList<string> StillListed { get; }

    /// <summary>
    /// New and changed items, in the order to write them: last-to-first, so items with the same date (undated ones:
    /// when we first saw them) keep the document's order under "seq DESC".
    /// </summary>
    public IReadOnlyList<StoredPartnerItem> Writes { get; }

    /// <summary>Keys of stored items the fetch left out that were still listed.</summary>
    public IReadOnlyList<string> NewlyUnlisted { get; }

    public static PartnerItemMerge Plan(IReadOnlyList<StoredPartnerItem> items, IReadOnlyDictionary<string, KnownPartnerItem> known)
    {
        var firstCopies = new HashSet<string>(StringComparer.Ordinal);
        var listed = PartnerItemIdentity.KeepStoredKeys(
            items.Where(stored => firstCopies.Add(stored.Item.Key)).ToList(), known.ToDictionary(k => k.Key, k => k.Value.Url, StringComparer.Ordinal));
        var seenThisPoll = listed.Select(stored => stored.Item.Key).ToHashSet(StringComparer.Ordinal);
        var stillListed = new List<string>();
        var writes = new List<StoredPartnerItem>();
        for (var i = listed.Count - 1; i >= 0; i--)
        {
            var stored = listed[i];
            if (!known.TryGetValue(stored.Item.Key, out var existing)) writes.Add(stored);
            else if (existing.ContentHash == stored.Item.ContentHash) stillListed.Add(stored.Item.Key);
            else writes.Add(stored with { FirstSeen = existing.FirstSeen });
        }
        var newlyUnlisted = known.Where(k => !k.Value.Unlisted && !seenThisPoll.Contains(k.Key)).Select(k => k.Key).ToList();
        return new PartnerItemMerge(stillListed, writes, newlyUnlisted);
    }
}
