namespace NewsFeed.Partners;

/// <summary>Reads a partner's feed document. Contract only: the implementation lands with the partner parser work.</summary>
public static class PartnerFeedParser
{
    /// <param name="content">The decoded (not compressed) body, already capped in size by the fetcher.</param>
    /// <param name="contentType">The response's Content-Type, which may name a charset.</param>
    /// <param name="baseUri">The final URL of the document, for resolving relative links.</param>
    /// <exception cref="PartnerFeedException">The document is not a feed we can read.</exception>
    public static PartnerFeed Parse(ReadOnlyMemory<byte> content, string? contentType, Uri baseUri, PartnerParserLimits limits) =>
        throw new NotSupportedException("The partner feed parser is not implemented yet.");
}

/// <summary>Caps applied while parsing, so one partner cannot flood the store.</summary>
public sealed record PartnerParserLimits
{
    public int MaxItems { get; init; } = 200;
    public int MaxTitleLength { get; init; } = 300;
    public int MaxSummaryLength { get; init; } = 2_000;
    public int MaxContentLength { get; init; } = 100_000;
    public int MaxUrlLength { get; init; } = 2_048;
    public int MaxCategories { get; init; } = 20;
}
