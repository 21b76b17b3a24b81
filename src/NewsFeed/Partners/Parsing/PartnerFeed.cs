namespace NewsFeed.Partners.Parsing;

/// <summary>
/// A partner's feed as the lenient parser read it: RSS 0.9x/1.0/2.0, Atom 1.0 or JSON Feed, already
/// made safe (titles as plain text, HTML sanitized with an allow-list, URLs absolute, fields capped).
/// </summary>
/// <param name="Format">What the document is: "RSS 2.0", "RSS 0.92", "RSS 0.91", "RSS" (no version), "RSS 1.0", "RSS 0.90", "Atom 1.0", "Atom 0.3", "JSON Feed 1.0" or "JSON Feed 1.1".</param>
/// <param name="Warnings">What was repaired, dropped or cut while reading (at most about 50), for the partner's health page.</param>
internal sealed record PartnerFeed(
    string Format,
    string? Title,
    string? Link,
    IReadOnlyList<PartnerItem> Items,
    IReadOnlyList<string> Warnings);

/// <summary>One partner item.</summary>
internal sealed record PartnerItem
{
    /// <summary>
    /// Its identity within the partner's feed: the guid/id; where one document gives the same guid to
    /// items with different links, "guid link"; with no guid, the link; else "sha256:" and <see cref="ContentHash"/>.
    /// A key longer than the URL cap is "sha256:" and the key's hash.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>
    /// The guid (RSS), id (Atom, JSON Feed) or rdf:about (RSS 1.0) as the partner wrote it, trimmed and
    /// XML-safe; null when it has none. One longer than the URL cap is "sha256:" and its hash.
    /// </summary>
    public string? SourceId { get; init; }

    /// <summary>The title as plain text; "" for an item with no words to make one of (only a picture).</summary>
    public required string Title { get; init; }

    /// <summary>The item's link (or its permalink guid): absolute http(s), at most the URL cap; null when it has none.</summary>
    public string? Url { get; init; }
    public string? SummaryText { get; init; }
    public string? ContentHtml { get; init; }
    public DateTimeOffset? Published { get; init; }
    public DateTimeOffset? Updated { get; init; }
    public string? Author { get; init; }
    public string? ImageUrl { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>SHA-256 of the item's normalized content, so an edited item is noticed and updated in place.</summary>
    public required string ContentHash { get; init; }
}

/// <summary>The document could not be read as a feed; <see cref="Exception.Message"/> is the reason recorded for the partner.</summary>
internal sealed class PartnerFeedException(string message, Exception? inner = null) : Exception(message, inner);
