namespace NewsFeed.Partners;

/// <summary>
/// Identity across polls. Some partners generate a new guid for the same story on every request, so by key alone
/// each poll would add the whole feed again. An item whose key is new but whose link is the link of exactly one
/// stored item of that partner is that item: it takes the stored key, so it is updated in place and keeps its id
/// in our feeds and its first-seen date. (Repeats inside one document are the parser's to tell apart.)
/// </summary>
internal static class PartnerItemIdentity
{
    /// <param name="listed">This poll's items, one per key, in document order.</param>
    /// <param name="storedUrls">The partner's stored items: key to link.</param>
    /// <returns><paramref name="listed"/>, with a regenerated guid replaced by the stored key of its story.</returns>
    public static List<StoredPartnerItem> KeepStoredKeys(List<StoredPartnerItem> listed, IReadOnlyDictionary<string, string?> storedUrls)
    {
        // Only a link that names one story on both sides identifies it: a feed that gives every item its home
        // page as the link (it happens) must not have its new items folded into one stored item.
        var storedByUrl = Unique(storedUrls.Where(s => s.Value is not null).Select(s => (Url: s.Value!, s.Key)));
        var listedUrls = Unique(listed.Where(i => i.Item.Url is not null).Select(i => (Url: i.Item.Url!, i.Item.Key)));
        var listedKeys = listed.Select(i => i.Item.Key).ToHashSet(StringComparer.Ordinal);
        return listed.Select(stored =>
        {
            var item = stored.Item;
            if (storedUrls.ContainsKey(item.Key) || item.Url is null || !listedUrls.ContainsKey(item.Url)) return stored;
            // The stored item must not be listed under its own key too: then they are two items that share a link.
            if (!storedByUrl.TryGetValue(item.Url, out var storedKey) || listedKeys.Contains(storedKey)) return stored;
            return stored with { Item = item with { Key = storedKey } };
        }).ToList();
    }

    /// <summary>Link to key, for the links only one item has.</summary>
    private static Dictionary<string, string> Unique(IEnumerable<(string Url, string Key)> items) =>
        items.GroupBy(i => i.Url, StringComparer.Ordinal).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Key, StringComparer.Ordinal);
}
