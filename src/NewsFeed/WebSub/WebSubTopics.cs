using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Feeds;
using NewsFeed.Site;

namespace NewsFeed.WebSub;

/// <summary>
/// The topic URLs of a feed (W3C WebSub §4): page one of each format, the URL subscribers subscribe to
/// (its <c>rel="self"</c>), built as the feeds build it.
/// </summary>
internal sealed class WebSubTopics(IOptions<SiteOptions> site, IOptions<FeedOptions> feeds)
{
    /// <summary>
    /// The topics of the feed an outbox message names by its path stem (<c>latest</c>, <c>sections/world</c>,
    /// <c>partners/metro</c>: what <see cref="ArticleFeedTopics"/> and <see cref="Partners.PartnerFeedTopics"/> write).
    /// A stem this version does not know (written by a newer one) has none.
    /// </summary>
    public IEnumerable<string> OfStem(string stem)
    {
        var parts = stem.Split('/', 2);
        (FeedKind Kind, string? Slug)? feed = parts switch
        {
            ["latest"] => (FeedKind.Latest, null),
            ["partners"] => (FeedKind.AllPartners, null),
            ["sections", var slug] => (FeedKind.Section, slug),
            ["authors", var slug] => (FeedKind.Author, slug),
            ["tags", var slug] => (FeedKind.Tag, slug),
            ["partners", var slug] => (FeedKind.Partner, slug),
            _ => null,
        };
        return feed is { } known ? Of(known.Kind, known.Slug) : [];
    }

    public IEnumerable<string> Of(FeedKind kind, string? slug)
    {
        var defaultLimit = feeds.Value.DefaultLimit;
        foreach (var format in Enum.GetValues<FeedFormat>())
        {
            var key = new FeedKey(kind, slug, format, defaultLimit, null);
            yield return key.UrlFor(site.Value.BaseUrl, format, null, defaultLimit);
        }
    }
}
