using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace NewsFeed.Edge;

/// <summary>
/// One place purged on change, an outbox recipient of its own (<see cref="Name"/>): a Varnish, a Fastly service,
/// a Cloudflare zone. Each knows only the request that purges a batch of keys there; sending, retrying and
/// counting are <see cref="EdgePurgeSender"/>'s and its client's.
/// </summary>
internal abstract record EdgePurger(string Type, string Name)
{
    public abstract HttpRequestMessage Request(IReadOnlyList<string> keys);

    /// <summary>Every purger an entry of <c>Edge:Purgers</c> configures (a Varnish entry names one per address).</summary>
    public static IEnumerable<EdgePurger> Of(PurgerOptions options) => options.Type switch
    {
        PurgerOptions.Varnish => options.Urls.Select(url => (EdgePurger)new VarnishPurger(new Uri(url))),
        PurgerOptions.Fastly => [new FastlyPurger(new Uri(options.BaseUrl ?? "https://api.fastly.com/"), options.ServiceId, options.ApiToken)],
        PurgerOptions.Cloudflare => [new CloudflarePurger(new Uri(options.BaseUrl ?? "https://api.cloudflare.com/client/v4/"), options.ZoneId, options.ApiToken)],
        _ => [],
    };

    protected static Uri Under(Uri baseUrl, string relative) =>
        new(new Uri(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/"), relative);
}

/// <summary>
/// <c>PURGE</c> with the keys in an <c>xkey-purge</c> header, space-separated, as vmod_xkey's documentation has
/// it; the Varnish's VCL (edge/varnish/newsfeed.vcl) checks the caller against its ACL and purges the keys.
/// </summary>
internal sealed record VarnishPurger(Uri Url) : EdgePurger(PurgerOptions.Varnish, "varnish " + Url.AbsoluteUri)
{
    public static readonly HttpMethod Purge = new("PURGE");

    public override HttpRequestMessage Request(IReadOnlyList<string> keys)
    {
        var request = new HttpRequestMessage(Purge, Url);
        request.Headers.TryAddWithoutValidation("xkey-purge", string.Join(' ', keys));
        return request;
    }
}

/// <summary>
/// Fastly's batch purge by surrogate key: <c>POST /service/{service_id}/purge</c>, the API token in
/// <c>Fastly-Key</c> and the keys space-separated in a <c>Surrogate-Key</c> request header (up to 256).
/// </summary>
internal sealed record FastlyPurger(Uri BaseUrl, string ServiceId, string ApiToken) : EdgePurger(PurgerOptions.Fastly, "fastly " + ServiceId)
{
    public override HttpRequestMessage Request(IReadOnlyList<string> keys)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Under(BaseUrl, $"service/{Uri.EscapeDataString(ServiceId)}/purge"));
        request.Headers.TryAddWithoutValidation("Fastly-Key", ApiToken);
        request.Headers.TryAddWithoutValidation("Surrogate-Key", string.Join(' ', keys));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    // Never the token in a log line or a debugger's view.
    public override string ToString() => Name;
}

/// <summary>
/// Cloudflare's purge by cache tags: <c>POST /zones/{zone_id}/purge_cache</c> with a bearer API token and the
/// body <c>{"tags": [...]}</c>. Cloudflare answers <c>{"success": true, ...}</c>; anything else is a failure.
/// </summary>
internal sealed record CloudflarePurger(Uri BaseUrl, string ZoneId, string ApiToken) : EdgePurger(PurgerOptions.Cloudflare, "cloudflare " + ZoneId)
{
    public override HttpRequestMessage Request(IReadOnlyList<string> keys) => new(HttpMethod.Post, Under(BaseUrl, $"zones/{Uri.EscapeDataString(ZoneId)}/purge_cache"))
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", ApiToken) },
        Content = JsonContent.Create(new CloudflarePurge([.. keys]), EdgeJson.Default.CloudflarePurge),
    };

    public override string ToString() => Name;
}
