using NewsFeed.Articles;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Reads a partner's feed: RSS 0.9x, 1.0 and 2.0, Atom 1.0 (and 0.3) or JSON Feed 1.0/1.1, told
/// apart by the document itself, never by the Content-Type. Lenient on what has one obvious
/// meaning (encodings, HTML entities, dates, stray characters), strict on safety (no DTD, no
/// external entities, HTML through an allow-list, http(s) URLs only, every field capped).
/// </summary>
/// <remarks>
/// One bad item never costs the others: an item that cannot be read or built (no words and no link,
/// nested too deep, a field that breaks a rule) is dropped alone, with a warning in
/// <see cref="PartnerFeed.Warnings"/> naming it and why. Malformed XML: after the lenient repairs, a
/// document that is still not well-formed (or is cut off) keeps the complete items read before the
/// break, with a warning naming the line, if at least one was complete; otherwise it throws
/// <see cref="PartnerFeedException"/>. JSON that is not valid JSON is refused whole, as JSON readers do,
/// so the items stored from the last good poll stay.
/// </remarks>
internal static class PartnerFeedParser
{
    /// <param name="content">The decoded (not compressed) body, already capped in size by the fetcher.</param>
    /// <param name="contentType">The response's Content-Type, which may name a charset.</param>
    /// <param name="baseUri">The final URL of the document, for resolving relative links.</param>
    /// <exception cref="PartnerFeedException">The document is not a feed we can read.</exception>
    public static PartnerFeed Parse(ReadOnlyMemory<byte> content, string? contentType, Uri baseUri, PartnerParserLimits limits) =>
        Parse(content, contentType, baseUri, limits, TimeProvider.System);

    /// <param name="content">The decoded (not compressed) body, already capped in size by the fetcher.</param>
    /// <param name="contentType">The response's Content-Type, which may name a charset.</param>
    /// <param name="baseUri">The final URL of the document, for resolving relative links.</param>
    /// <param name="limits">Caps on items and fields.</param>
    /// <param name="timeProvider">Now, for dropping dates more than a day in the future.</param>
    /// <exception cref="PartnerFeedException">The document is not a feed we can read.</exception>
    public static PartnerFeed Parse(ReadOnlyMemory<byte> content, string? contentType, Uri baseUri, PartnerParserLimits limits, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!baseUri.IsAbsoluteUri) throw new ArgumentException("The base URI must be absolute.", nameof(baseUri));

        var feed = new PartnerFeedBuilder(limits, timeProvider.GetUtcNow());
        var text = FeedTextDecoder.Decode(content.Span, contentType, feed);
        var start = text.AsSpan().TrimStart(" \t\r\n\uFEFF");
        if (start.IsEmpty) throw new PartnerFeedException("Not a feed: the document is empty.");

        if (start[0] is '{' or '[') JsonFeedDocument.Read(text, baseUri, feed);
        else if (start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            throw new PartnerFeedException("Not a feed: the document is an HTML page.");
        }
        else if (start.Contains('<')) XmlFeedDocument.Read(text, baseUri, feed);
        else throw new PartnerFeedException("Not a feed: the document is neither XML nor JSON.");
        return feed.ToFeed();
    }
}

/// <summary>Caps applied while parsing, so one partner cannot flood the store.</summary>
internal sealed record PartnerParserLimits
{
    public int MaxItems { get; init; } = 200;
    public int MaxTitleLength { get; init; } = 300;
    public int MaxSummaryLength { get; init; } = 2_000;
    public int MaxContentLength { get; init; } = 100_000;
    public int MaxUrlLength { get; init; } = 2_048;
    public int MaxCategories { get; init; } = 20;
    /// <summary>The HTML policy item content goes through: the app passes the configured one (Content:EmbedHosts).</summary>
    public ContentSanitizer Html { get; init; } = ContentSanitizer.Default;
}
