using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using NewsFeed.Articles;
using NewsFeed.Text;

namespace NewsFeed.Partners;

/// <summary>A stored partner item in the shape the feed writers take (an <see cref="Article"/>), with its source for attribution.</summary>
internal static class PartnerArticles
{
    public static (Article Article, PartnerSource Source) ToArticle(StoredPartnerItem stored, string language)
    {
        var item = stored.Item;
        var published = stored.SortAt;
        // Never later than when we fetched it: a partner's clock or typo must not date an item in the future.
        var updated = item.Updated is { } u && u > published && u <= stored.FetchedAt ? u : published;
        var url = FirstAbsolute(item.Url, stored.SiteUrl, stored.FeedUrl);
        var article = new Article
        {
            Id = IdOf(stored.PartnerId, item.Key),
            Slug = "partner-" + stored.PartnerId,
            Url = url,
            Title = string.IsNullOrWhiteSpace(item.Title) ? $"Untitled story from {stored.PartnerName}" : item.Title,
            Summary = item.SummaryText ?? "",
            Body = item.ContentHtml ?? (item.SummaryText is { } text ? "<p>" + WebUtility.HtmlEncode(text) + "</p>" : ""),
            Authors = item.Author is { Length: > 0 } author ? [new Author(author, "partner-author")] : [],
            Sections = stored.Section is { } section ? [new Term(section, SectionName(section))] : [],
            // The partner's categories, less any that repeats the section (feeds list sections and tags together).
            Tags = item.Categories
                .Where(c => !string.IsNullOrWhiteSpace(c) && !(stored.Section is { } s && string.Equals(c, SectionName(s), StringComparison.OrdinalIgnoreCase)))
                .Distinct(StringComparer.OrdinalIgnoreCase).Select(c => new Term(c, c)).ToList(),
            Published = published,
            Updated = updated,
            Language = language,
            Image = item.ImageUrl is { } image && Uri.TryCreate(image, UriKind.Absolute, out _) ? new HeroImage(image) : null,
        };
        var siteUrl = stored.SiteUrl is { } site && Uri.TryCreate(site, UriKind.Absolute, out var siteUri) && siteUri.Scheme is "http" or "https" ? SafeText.Clean(site) : null;
        var source = new PartnerSource(stored.PartnerId, SafeText.Clean(stored.PartnerName), SafeText.Clean(stored.FeedUrl), siteUrl, stored.Attribution is null ? null : SafeText.Clean(stored.Attribution), stored.FetchedAt);
        return (article, source);
    }

    /// <summary>A stable UUID per (partner, item key): the item's guid/id in our feeds, the same at every fetch.</summary>
    public static Guid IdOf(string partnerId, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(partnerId + "\n" + key));
        var bytes = hash.AsSpan(0, 16).ToArray();
        // RFC 9562: version 8 (custom), variant 10.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>"local-government" → "Local government", for a section only partners have filled.</summary>
    public static string SectionName(string slug) =>
        slug.Length == 0 ? slug : char.ToUpper(slug[0], CultureInfo.InvariantCulture) + slug[1..].Replace('-', ' ');

    private static string FirstAbsolute(params string?[] urls) =>
        urls.FirstOrDefault(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") ?? urls[^1]!;
}
