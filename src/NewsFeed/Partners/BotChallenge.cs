using System.Net;
using System.Text;

namespace NewsFeed.Partners;

/// <summary>
/// Recognises a CDN's bot challenge or block page served instead of a partner's feed (Cloudflare's "Just a
/// moment...", DDoS-Guard, Sucuri, Akamai, Imperva, AWS WAF, Vercel). A poller cannot pass one (it needs a
/// browser running script), and asking again soon only makes the CDN stricter, so the poller records it as
/// its own kind of failure and backs off longer (<see cref="PollInterpreter"/>); the operator's fix is to
/// ask the partner to let NewsFeed's User-Agent through.
/// </summary>
internal static class BotChallenge
{
    /// <summary>Challenge pages are a few KB; only the start of a larger error body is searched.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <param name="ServerTokens">A Server header containing one of these says the CDN answered.</param>
    /// <param name="ServedHeaders">A header only that CDN sets, which says the same.</param>
    /// <param name="Markers">Text of its challenge pages, trusted when the CDN is known to have answered.</param>
    /// <param name="StrongMarkers">Text no other page carries, trusted alone.</param>
    private sealed record Vendor(string Name, string[] ServerTokens, string[] ServedHeaders, string[] Markers, string[] StrongMarkers);

    private static readonly Vendor[] Vendors =
    [
        new("Cloudflare", ["cloudflare"], ["cf-ray"], ["Just a moment...", "Attention Required! | Cloudflare", "cf-chl", "cf_chl_opt"], ["/cdn-cgi/challenge-platform/"]),
        new("DDoS-Guard", ["ddos-guard"], [], ["ddos-guard", "ddg-captcha"], ["check.ddos-guard.net", "/.well-known/ddos-guard/"]),
        new("Sucuri", ["sucuri", "cloudproxy"], ["x-sucuri-id", "x-sucuri-block"], ["Sucuri WebSite Firewall", "sucuri.net", "Access Denied"], ["Sucuri WebSite Firewall - Access Denied"]),
        new("Akamai", ["akamaighost"], [], ["Access Denied", "errors.edgesuite.net", "errors&#46;edgesuite&#46;net"], []),
        new("Imperva", ["imperva", "incapsula"], ["x-iinfo"], ["Incapsula", "Imperva"], ["Incapsula incident ID", "_Incapsula_Resource"]),
    ];

    /// <summary>
    /// A challenge said by the headers alone: Cloudflare's <c>cf-mitigated: challenge</c> (set on every
    /// challenge page it serves), AWS WAF's <c>x-amzn-waf-action</c>, Vercel's <c>x-vercel-mitigated</c>.
    /// Cheap enough for the retry decision, which never reads a body.
    /// </summary>
    public static string? ByHeaders(HttpResponseMessage response)
    {
        if (HasValue(response, "cf-mitigated", "challenge")) return "Cloudflare";
        if (HasValue(response, "x-amzn-waf-action", "challenge") || HasValue(response, "x-amzn-waf-action", "captcha")) return "AWS WAF";
        if (HasValue(response, "x-vercel-mitigated", "challenge")) return "Vercel";
        return null;
    }

    public static bool IsMarkedByHeaders(HttpResponseMessage response) => ByHeaders(response) is not null;

    /// <summary>
    /// The CDN whose challenge or block page <paramref name="response"/> is, or null. The headers decide
    /// alone when they can; otherwise a 403, 429 or 503 HTML body is searched for the CDN's markers.
    /// </summary>
    public static async Task<string?> RecogniseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (ByHeaders(response) is { } vendor) return vendor;
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return null;
        if (response.Content.Headers.ContentType?.MediaType is { } type && !type.Contains("html", StringComparison.OrdinalIgnoreCase)) return null;
        string body;
        try
        {
            body = await ReadStartAsync(response.Content, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or HttpRequestException)
        {
            return null; // an error body we cannot read is just an error status
        }
        return Recognise(response, body);
    }

    internal static string? Recognise(HttpResponseMessage response, string body)
    {
        var server = response.Headers.Server.ToString();
        foreach (var candidate in Vendors)
        {
            if (candidate.StrongMarkers.Any(m => body.Contains(m, StringComparison.OrdinalIgnoreCase))) return candidate.Name;
            var served = candidate.ServerTokens.Any(t => server.Contains(t, StringComparison.OrdinalIgnoreCase))
                || candidate.ServedHeaders.Any(response.Headers.Contains);
            if (served && candidate.Markers.Any(m => body.Contains(m, StringComparison.OrdinalIgnoreCase))) return candidate.Name;
        }
        return null;
    }

    /// <summary>The reason recorded in the partner's health.</summary>
    public static string Reason(string vendor, int status) =>
        $"Blocked by a bot challenge ({vendor}, HTTP {status}): the partner's CDN served a challenge page instead of the feed. "
        + "Ask the partner to let NewsFeed's User-Agent through; polling backs off meanwhile.";

    private static bool HasValue(HttpResponseMessage response, string header, string value) =>
        response.Headers.TryGetValues(header, out var values) && values.Any(v => v.Trim().Equals(value, StringComparison.OrdinalIgnoreCase));

    private static async Task<string> ReadStartAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
        // The markers are ASCII, so any ASCII-compatible charset reads them right.
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
