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
    /// <summary>The topics of an article feed (null: latest).</summary>
    public IEnumerable<string> Of(TermRef? feed) => Of(FeedKey.KindOf(feed), feed?.Slug);

    public IEnumerable<string> Of(FeedKind kind, string? slug)
    {
        var defaultLimit = feeds.Value.DefaultLimit;
        foreach (var format in Enum.GetValues<FeedFormat>())
        {
            var key = new FeedKey(kind, slug, format, defaultLimit, 1);
            yield return key.UrlFor(site.Value.BaseUrl, format, 1, defaultLimit);
        }
    }
}
