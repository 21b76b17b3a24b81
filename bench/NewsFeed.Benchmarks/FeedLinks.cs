using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewsFeed.Benchmarks;

/// <summary>
/// The <c>next</c> link of a feed document (RSS and Atom <c>link rel="next"</c>, JSON Feed <c>next_url</c>), moved
/// onto the server under test: feeds link with the public base URL, the harness asks 127.0.0.1.
/// </summary>
internal static partial class FeedLinks
{
    public static Uri? NextOf(byte[] body, string contentType, Uri server)
    {
        string? next = null;
        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("next_url", out var url)) next = url.GetString();
        }
        else if (contentType.Contains("xml", StringComparison.OrdinalIgnoreCase))
        {
            // Only the feed's head is searched: the link elements come before the first item or entry.
            var head = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 8_192));
            var link = NextLink().Match(head);
            if (link.Success) next = WebUtility.HtmlDecode(link.Groups["a"].Success ? link.Groups["a"].Value : link.Groups["b"].Value);
        }
        return next is null ? null : OnServer(new Uri(next), server);
    }

    /// <summary>The same path and query on the server under test.</summary>
    public static Uri OnServer(Uri url, Uri server) => new(server, url.PathAndQuery);

    [GeneratedRegex("""<(?:atom:)?link\b(?=[^>]*\brel="next")(?:[^>]*\bhref="(?<a>[^"]+)"|[^>]*\bhref="(?<b>[^"]+)")""")]
    private static partial Regex NextLink();
}
