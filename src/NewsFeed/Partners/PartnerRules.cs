using System.Net;
using NewsFeed.Articles;

namespace NewsFeed.Partners;

/// <summary>What makes a partner acceptable, whether it comes from the registry file or the admin API.</summary>
internal static class PartnerRules
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
    /// Null when the URL may be polled: absolute http or https, no credentials in it, and not a literal address
    /// the SSRF guard would refuse anyway (<see cref="PartnerAddressGuard.Allows"/>). Host names are checked on
    /// every connection, since DNS can change.
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
        if (IPAddress.TryParse(uri.IdnHost, out var address) && !PartnerAddressGuard.Allows(options, address, uri.Port))
        {
            return $"The url points at a non-public address ({address}); list its range in Partners:AllowedNetworks to allow it.";
        }
        return null;
    }
}
