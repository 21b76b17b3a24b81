using System.Text.Json.Serialization;
using NewsFeed.Partners.Parsing;

namespace NewsFeed.Partners;

/// <summary>A partner item as stored: the parsed item and where and when it came from.</summary>
internal sealed record StoredPartnerItem
{
    public required PartnerItem Item { get; init; }
    public required string PartnerId { get; init; }
    public required string PartnerName { get; init; }
    public string? Attribution { get; init; }
    public string? SiteUrl { get; init; }
    public required string FeedUrl { get; init; }
    public string? Section { get; init; }
    /// <summary>When we first stored the item: its date when the partner gives none.</summary>
    public required DateTimeOffset FirstSeen { get; init; }
    /// <summary>When the stored copy was last written (fetched new or changed).</summary>
    public required DateTimeOffset FetchedAt { get; init; }

    /// <summary>Where the item sorts: its date, never later than when we first saw it (a partner's future dates do not pin it on top).</summary>
    [JsonIgnore]
    public DateTimeOffset SortAt => (Item.Published ?? Item.Updated) is { } date && date < FirstSeen ? date : FirstSeen;
}
