using NewsFeed.Feeds;
using NewsFeed.Text;

namespace NewsFeed.Edge;

/// <summary>One entry of <c>Edge:Purgers</c>: a Varnish (or several), a Fastly service, or a Cloudflare zone.</summary>
internal sealed class PurgerOptions
{
    public const string Varnish = "Varnish";
    public const string Fastly = "Fastly";
    public const string Cloudflare = "Cloudflare";

    /// <summary>Varnish, Fastly or Cloudflare.</summary>
    public string Type { get; set; } = "";

    /// <summary>Varnish: the address of each Varnish (its listening address); each is purged on its own, with <c>PURGE</c> and <c>xkey-purge</c>.</summary>
    public string[] Urls { get; set; } = [];

    /// <summary>Fastly: the service whose cache is purged.</summary>
    public string ServiceId { get; set; } = "";

    /// <summary>Cloudflare: the zone whose cache is purged.</summary>
    public string ZoneId { get; set; } = "";

    /// <summary>Fastly (a token with purge_select) and Cloudflare (a token with Cache Purge). Keep it in a secret store, not in appsettings.json.</summary>
    public string ApiToken { get; set; } = "";

    /// <summary>The API's address: https://api.fastly.com/ and https://api.cloudflare.com/client/v4/ unless set (tests point it elsewhere).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The response header this purger's edge reads the keys from.</summary>
    public string? TagHeader => Type switch
    {
        Varnish => EdgeTagging.Xkey,
        Fastly => EdgeTagging.SurrogateKey,
        Cloudflare => EdgeTagging.CacheTag,
        _ => null,
    };

    public IEnumerable<string> Problems(string path)
    {
        switch (Type)
        {
            case Varnish:
                if (Urls.Length == 0) yield return $"{path}:{nameof(Urls)} must list at least one Varnish address (a Varnish purger).";
                for (var i = 0; i < Urls.Length; i++)
                {
                    if (!HttpUrl.IsAbsolute(Urls[i])) yield return $"{path}:{nameof(Urls)}:{i} must be an absolute http or https URL.";
                }
                break;
            case Fastly:
                if (string.IsNullOrWhiteSpace(ServiceId)) yield return $"{path}:{nameof(ServiceId)} is required for a Fastly purger.";
                if (string.IsNullOrWhiteSpace(ApiToken)) yield return $"{path}:{nameof(ApiToken)} is required for a Fastly purger.";
                break;
            case Cloudflare:
                if (string.IsNullOrWhiteSpace(ZoneId)) yield return $"{path}:{nameof(ZoneId)} is required for a Cloudflare purger.";
                if (string.IsNullOrWhiteSpace(ApiToken)) yield return $"{path}:{nameof(ApiToken)} is required for a Cloudflare purger.";
                break;
            default:
                yield return $"{path}:{nameof(Type)} must be {Varnish}, {Fastly} or {Cloudflare} (it is '{Type}').";
                break;
        }
        if (BaseUrl is not null && !HttpUrl.IsAbsolute(BaseUrl)) yield return $"{path}:{nameof(BaseUrl)} must be an absolute http or https URL.";
        if (ServiceId.Any(char.IsWhiteSpace) || ZoneId.Any(char.IsWhiteSpace) || ServiceId.Contains('/') || ZoneId.Contains('/'))
        {
            yield return $"{path}: {nameof(ServiceId)} and {nameof(ZoneId)} are single path segments (no spaces, no '/').";
        }
    }
}
