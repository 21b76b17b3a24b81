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
        // Only the document's head is searched: the links (and JSON Feed's next_url) come before the first item,
        // and a client of the flood must not spend the cores the server needs parsing 45 MB documents.
        var head = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 8_192));
        string? next = null;
        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            var url = NextUrl().Match(head);
            if (url.Success) next = JsonSerializer.Deserialize<string>("\"" + url.Groups["url"].Value + "\"");
        }
        else if (contentType.Contains("xml", StringComparison.OrdinalIgnoreCase))
        {
            var link = NextLink().Match(head);
            if (link.Success) next = WebUtility.HtmlDecode(link.Groups["url"].Value);
        }
        return next is null ? null : OnServer(new Uri(next), server);
    }

    /// <summary>The same path and query on the server under test.</summary>
    public static Uri OnServer(Uri url, Uri server) => new(server, url.PathAndQuery);

    [GeneratedRegex(@"""next_url""\s*:\s*""(?<url>(?:[^""\\]|\\.)*)""")]
    private static partial Regex NextUrl();

    // A link element whose rel is next, its href wherever it stands among the attributes.
    [GeneratedRegex(@"<(?:atom:)?link\b(?=[^>]*\brel=""next"")[^>]*\bhref=""(?<url>[^""]+)""")]
    private static partial Regex NextLink();
}
