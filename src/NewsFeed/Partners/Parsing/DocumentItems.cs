using System.Security.Cryptography;
using System.Text;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Item identity inside one document. An item is who its guid/id says; where the partner gives one
/// guid to items with different links (a CMS that stamps one id on a whole series, a template bug),
/// they are different items, told apart by their links. An exact repeat is kept once: the same id and
/// link, or for an item without id the same link, or the same content. (Across polls the store
/// compares <see cref="PartnerItem.Key"/>, and may match <see cref="PartnerItem.Url"/> too.)
/// </summary>
internal sealed class DocumentItems
{
    private readonly List<(PartnerItem Item, int Position)> _items = [];
    private readonly HashSet<string> _identities = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    /// <summary>Adds the item unless it repeats one already added (then a warning).</summary>
    public void Add(PartnerItem item, int position, Action<string> warn)
    {
        var identity = item.SourceId is { } id ? "id\u001F" + id + "\u001F" + item.Url : item.Url ?? "sha256:" + item.ContentHash;
        if (_identities.Add(identity)) _items.Add((item, position));
        else warn($"Item {position} repeats {Describe(item)}; the first one was kept.");
    }

    /// <summary>
    /// The items with their keys, which depend on the whole document: the guid/id; where items share
    /// one, the guid and the link ("guid link"); without a guid, the link, else "sha256:" and the content
    /// hash. A key longer than <paramref name="maxKeyLength"/> is "sha256:" and its hash.
    /// </summary>
    public List<PartnerItem> WithKeys(int maxKeyLength, Action<string> warn)
    {
        var shared = _items.Select(i => i.Item.SourceId).OfType<string>().CountBy(id => id, StringComparer.Ordinal)
            .Where(c => c.Value > 1).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<PartnerItem>(_items.Count);
        foreach (var (item, position) in _items)
        {
            var key = item.SourceId switch
            {
                null => item.Url ?? "sha256:" + item.ContentHash,
                var id when shared.Contains(id) && item.Url is { } url => id + " " + url,
                var id => id,
            };
            if (key.Length > maxKeyLength) key = "sha256:" + Sha256(key);
            // Only a contrived document gets here (an id that is another item's link): still one key, one item.
            if (keys.Add(key)) result.Add(item with { Key = key });
            else warn($"Item {position} repeats the key '{PartnerFeedBuilder.Excerpt(key)}'; the first one was kept.");
        }
        return result;
    }

    public static string Sha256(params string?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001F', parts.Select(p => p ?? "")))));

    private static string Describe(PartnerItem item) => (item.SourceId, item.Url) switch
    {
        ({ } id, null) => $"the id '{PartnerFeedBuilder.Excerpt(id)}'",
        ({ } id, { } url) => $"the id '{PartnerFeedBuilder.Excerpt(id)}' and the link '{PartnerFeedBuilder.Excerpt(url)}'",
        (null, { } url) => $"the link '{PartnerFeedBuilder.Excerpt(url)}'",
        _ => "the content of an earlier item",
    };
}
