namespace NewsFeed.Partners.Parsing;

/// <summary>URL references as feeds write them: relative, padded with whitespace, split over lines.</summary>
internal static class FeedUrl
{
    /// <summary>
    /// The reference resolved against <paramref name="baseUri"/> (RFC 3986 §5), or null. Like a browser
    /// (WHATWG URL), tabs and newlines anywhere are removed first, so "java&#9;script:" is seen for
    /// what it is; whether the scheme is acceptable is for the caller to decide.
    /// </summary>
    public static Uri? Resolve(string? reference, Uri baseUri)
    {
        if (string.IsNullOrWhiteSpace(reference)) return null;
        var cleaned = reference.Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)
            .Replace("\r", "", StringComparison.Ordinal).Trim(' ', '\f', '\v', '\0');
        return cleaned.Length > 0 && Uri.TryCreate(baseUri, cleaned, out var uri) ? uri : null;
    }

    /// <summary>
    /// The base for what an element contains: its xml:base (XML Base §4.2, RFC 4287 §2) resolved
    /// against the parent's, when that gives an http(s) URL; otherwise the parent's.
    /// </summary>
    public static Uri Rebase(string? xmlBase, Uri parent) =>
        Resolve(xmlBase, parent) is { } uri && IsHttp(uri) ? uri : parent;

    public static bool IsHttp(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
