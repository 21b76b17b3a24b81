using System.Globalization;
using Microsoft.Extensions.Primitives;
using NewsFeed.Articles;

namespace NewsFeed.Feeds;

/// <summary>
/// Which keys each cacheable response depends on, in the header forms an edge cache reads (docs/edge.md). The
/// keys are the outbox topics a write queues (<see cref="ArticleFeedTopics"/>, <c>PartnerFeedTopics</c>): a feed's
/// path stem (<c>latest</c>, <c>sections/world</c>, <c>partners/metro</c>), an archive document's month
/// (<c>sections/world/archive/2026-11</c>), and <c>partners</c> on section feeds that list partner items. So the
/// edge's purge of a write's topics removes exactly the responses the write changed. Off unless the Edge feature
/// configures it (<see cref="Off"/>: no header, nothing kept).
/// </summary>
internal sealed class EdgeTagging
{
    public const string SurrogateKey = "Surrogate-Key";
    public const string CacheTag = "Cache-Tag";
    public const string Xkey = "xkey";

    public static EdgeTagging Off { get; } = new([], "", null, partnersInSections: false);

    private readonly string[] _tagHeaders;
    private readonly string _prefix;
    private readonly KeyValuePair<string, StringValues>[] _lifetime;
    private readonly bool _partnersInSections;

    /// <param name="tagHeaders">Which of <see cref="SurrogateKey"/>, <see cref="CacheTag"/>, <see cref="Xkey"/> to send.</param>
    /// <param name="keyPrefix">Put before every key, so several sites can share one CDN service.</param>
    /// <param name="edgeMaxAge">The edge's lifetime of a response (with purging only); null: the edge follows Cache-Control.</param>
    /// <param name="partnersInSections"><c>Partners:IncludeInSections</c>: a section feed also depends on partner items.</param>
    public EdgeTagging(IReadOnlyCollection<string> tagHeaders, string keyPrefix, TimeSpan? edgeMaxAge, bool partnersInSections)
    {
        _tagHeaders = [.. tagHeaders];
        _prefix = keyPrefix;
        _partnersInSections = partnersInSections;
        if (edgeMaxAge is { } maxAge)
        {
            // Surrogate-Control: Fastly (and the reference VCL); CDN-Cache-Control (RFC 9213): Cloudflare and others.
            var value = new StringValues(string.Create(CultureInfo.InvariantCulture, $"max-age={(long)maxAge.TotalSeconds}"));
            _lifetime = [new("Surrogate-Control", value), new("CDN-Cache-Control", value)];
        }
        else
        {
            _lifetime = [];
        }
    }

    public bool IsOn => _tagHeaders.Length > 0 || _lifetime.Length > 0;

    /// <summary>The key of an outbox topic as the edge knows it (with <c>Edge:KeyPrefix</c>).</summary>
    public string KeyOf(string topic) => _prefix + topic;

    /// <summary>The headers of one feed variant (any format, page, limit) or archive document; null when off.</summary>
    public EdgeHeaders? ForFeed(FeedKey key)
    {
        if (!IsOn) return null;
        if (key.IsPartnerFeed)
        {
            return For(key.Kind == FeedKind.Partner ? ["partners/" + key.Slug] : ["partners"]);
        }
        if (key.Archive is { } month)
        {
            return For([ArticleFeedTopics.ArchiveOf(key.Term, month.Start)]);
        }
        var stem = ArticleFeedTopics.Of(key.Term);
        return For(key.Kind == FeedKind.Section && _partnersInSections ? [stem, "partners"] : [stem]);
    }

    /// <summary>The headers of a headline list (JSON and iframe page) of the section, or of the whole site (null).</summary>
    public EdgeHeaders? ForHeadlines(TermRef? section) => IsOn ? For([ArticleFeedTopics.Of(section)]) : null;

    private EdgeHeaders For(string[] topics)
    {
        var keys = topics.Select(KeyOf).ToArray();
        var tags = _tagHeaders.Select(name => new KeyValuePair<string, StringValues>(name,
            // Fastly and Varnish's xkey read keys separated by spaces; Cloudflare reads Cache-Tag separated by commas.
            string.Join(name == CacheTag ? "," : " ", keys))).ToArray();
        return new EdgeHeaders(tags, _lifetime);
    }
}
