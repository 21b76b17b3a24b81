using Microsoft.Extensions.Primitives;

namespace NewsFeed.Feeds;

/// <summary>
/// The headers a cached response tells an edge cache (Varnish, Fastly, Cloudflare) with: the keys it depends on
/// (<c>xkey</c>, <c>Surrogate-Key</c>, <c>Cache-Tag</c>) and, with purging configured, the edge's own lifetime
/// (<c>Surrogate-Control</c>, RFC 9213 <c>CDN-Cache-Control</c>). Made once per render and kept with it: a request
/// only sets these ready values (no string work, no allocation), on 200s and 304s alike.
/// </summary>
internal sealed class EdgeHeaders
{
    private readonly KeyValuePair<string, StringValues>[] _headers;

    public EdgeHeaders(KeyValuePair<string, StringValues>[] tags, KeyValuePair<string, StringValues>[] lifetime)
    {
        _headers = [.. tags, .. lifetime];
        Size = _headers.Sum(header => 2L * (header.Key.Length + header.Value.ToString().Length) + 32);
        WithoutLifetime = lifetime.Length == 0 ? this : new EdgeHeaders(tags, []);
    }

    /// <summary>
    /// The same keys without the edge lifetime: for a response a shared cache must not keep (the browser view is
    /// <c>private</c>, and an edge lifetime would override that at the CDN).
    /// </summary>
    public EdgeHeaders WithoutLifetime { get; }

    /// <summary>What it costs its cache entry, in bytes (UTF-16 strings).</summary>
    public long Size { get; }

    public void WriteTo(IHeaderDictionary headers)
    {
        foreach (var (name, value) in _headers)
        {
            headers[name] = value;
        }
    }
}
