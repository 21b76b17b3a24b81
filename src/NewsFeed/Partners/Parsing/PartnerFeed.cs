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

/// <summary>One partner item. <see cref="Key"/> is its identity: guid/id, else link, else a content hash.</summary>
internal sealed record PartnerItem
{
    public required string Key { get; init; }
    public required string Title { get; init; }
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
