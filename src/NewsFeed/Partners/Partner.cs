using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using NewsFeed.Articles;

namespace NewsFeed.Partners;

/// <summary>
/// A partner as the registry and the admin API describe it (camelCase JSON). Nothing is "required" for the
/// JSON reader: a missing field is reported by <see cref="PartnerRules.Validate"/>, by name, as a 400.
/// </summary>
public sealed record Partner
{
    /// <summary>Slug: names the partner's feed (<c>/feeds/partners/{id}.rss</c>) and every log line about it.</summary>
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>The partner's feed URL (http or https). A 301/308 replaces it once the new URL answered a poll and passes <see cref="PartnerRules.CheckUrl"/>.</summary>
    public string Url { get; init; } = "";
    /// <summary>Our section the partner's items belong to (slug), if any.</summary>
    public string? Section { get; init; }
    /// <summary>How often to poll; null: <see cref="PartnerOptions.DefaultPollInterval"/>.</summary>
    public TimeSpan? PollInterval { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>Items kept for this partner, newest first; null: <see cref="PartnerOptions.DefaultItemCap"/>.</summary>
    public int? ItemCap { get; init; }
    /// <summary>Credit line shown with the partner's items, e.g. "Courtesy of The Harbor Gazette".</summary>
    public string? Attribution { get; init; }
}

/// <summary>What the poller learned about a partner: validators for conditional GET, and its health.</summary>
public sealed record PartnerState
{
    [JsonPropertyName("etag")]
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public DateTimeOffset? NextPoll { get; init; }
    public DateTimeOffset? LastPoll { get; init; }
    public DateTimeOffset? LastSuccess { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public string? LastError { get; init; }
    public int ConsecutiveFailures { get; init; }
    public int? LastStatus { get; init; }
    /// <summary>What the parser repaired or dropped in the last document read (the first few), for the operator.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
    /// <summary>The partner's own site (the feed's link), for attribution.</summary>
    public string? SiteUrl { get; init; }
    /// <summary>Why the poller turned the partner off (410 Gone); operators re-enable through the admin API.</summary>
    public string? DisabledReason { get; init; }
}

/// <summary>The admin view of one partner: its configuration and its health.</summary>
public sealed record PartnerStatus(Partner Partner, PartnerState State, int ItemCount);

public static class PartnerRules
{
    public const int MaxNameLength = 200;
    public const int MaxAttributionLength = 300;
    public const int MaxUrlLength = 2_048;

    /// <summary>Every problem with the partner, keyed by the JSON name of the field (empty when valid).</summary>
    public static Dictionary<string, string[]> Validate(Partner partner, PartnerOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(partner.Id) || partner.Id.Length > ArticleRules.MaxSlugLength || !ArticleRules.SlugPattern().IsMatch(partner.Id))
        {
            errors["id"] = ["The id must be a slug: lowercase letters and digits joined by hyphens."];
        }
        if (string.IsNullOrWhiteSpace(partner.Name) || partner.Name.Length > MaxNameLength)
        {
            errors["name"] = [$"The name is required, at most {MaxNameLength} characters."];
        }
        if (CheckUrl(partner.Url, options) is { } urlError)
        {
            errors["url"] = [urlError];
        }
        if (partner.Section is { } section && (section.Length > ArticleRules.MaxSlugLength || !ArticleRules.SlugPattern().IsMatch(section)))
        {
            errors["section"] = ["The section must be a slug: lowercase letters and digits joined by hyphens."];
        }
        if (partner.PollInterval is { } interval && (interval < options.MinPollInterval || interval > options.MaxPollDelay))
        {
            errors["pollInterval"] = [$"The poll interval must be between {options.MinPollInterval:c} and {options.MaxPollDelay:c}."];
        }
        if (partner.ItemCap is < 1 or > 10_000)
        {
            errors["itemCap"] = ["The item cap must be from 1 to 10000."];
        }
        if (partner.Attribution is { Length: > MaxAttributionLength })
        {
            errors["attribution"] = [$"The attribution must be at most {MaxAttributionLength} characters."];
        }
        return errors;
    }

    /// <summary>
    /// Null when the URL may be polled: absolute http or https, no credentials in it, and (unless private
    /// addresses are allowed) not a literal address the SSRF guard would refuse anyway. Host names are
    /// checked again on every connection, since DNS can change.
    /// </summary>
    public static string? CheckUrl(string? url, PartnerOptions options)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "The url must be an absolute http or https URL.";
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"The url scheme must be http or https, not '{uri.Scheme}'.";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "The url must not carry a user name or password.";
        }
        if (!options.AllowPrivateAddresses && IPAddress.TryParse(uri.IdnHost, out var address) && !PartnerAddressGuard.IsPublic(address))
        {
            return $"The url points at a non-public address ({address}); set Partners:AllowPrivateAddresses to allow it.";
        }
        return null;
    }
}

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    WriteIndented = true)]
[JsonSerializable(typeof(Partner))]
[JsonSerializable(typeof(PartnerState))]
[JsonSerializable(typeof(PartnerRegistryFile))]
[JsonSerializable(typeof(StoredPartnerItem))]
[JsonSerializable(typeof(PartnerStatus))]
[JsonSerializable(typeof(List<PartnerStatus>))]
internal sealed partial class PartnerJson : JsonSerializerContext;

/// <summary>The shape of <c>feeds/partners.json</c>.</summary>
public sealed record PartnerRegistryFile(IReadOnlyList<Partner> Partners);

/// <summary>A partner item as stored: the parsed item and where and when it came from.</summary>
public sealed record StoredPartnerItem
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
