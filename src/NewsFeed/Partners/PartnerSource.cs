namespace NewsFeed.Partners;

/// <summary>The provenance of a partner item, for attribution (RSS source, Atom source, JSON Feed author and _source).</summary>
internal sealed record PartnerSource(string PartnerId, string Name, string FeedUrl, string? SiteUrl, string? Attribution, DateTimeOffset FetchedAt);
