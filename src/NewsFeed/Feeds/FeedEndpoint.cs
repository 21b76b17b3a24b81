using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.RateLimits;

namespace NewsFeed.Feeds;

/// <summary>One feed request: read the query strictly, find or render the variant, send it.</summary>
internal sealed class FeedEndpoint(FeedCache cache, FeedMetrics metrics, FeedPollLimiter pollLimiter, IOptions<FeedOptions> options)
{
    private readonly string _cacheControl = options.Value.CacheControl();

    public async Task<IResult> ServeAsync(HttpContext context, FeedKind kind, string? slug, string format)
    {
        var settings = options.Value;
        if (!FeedFormats.TryParse(format, out var feedFormat))
        {
            return NotFound($"There is no feed format '{format}'; use rss, atom or json.");
        }
        if (slug is not null && (slug.Length > ArticleRules.MaxSlugLength || !ArticleRules.SlugPattern().IsMatch(slug)))
        {
            return NotFound($"There is no {kind.ToString().ToLowerInvariant()} with that slug.");
        }

        var errors = new Dictionary<string, string[]>();
        var limit = QueryParameters.BoundedInt(context.Request.Query, "limit", settings.DefaultLimit, settings.MaxLimit, errors);
        var page = QueryParameters.BoundedInt(context.Request.Query, "page", 1, settings.MaxPage, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The feed query is not valid.");
        }

        var key = new FeedKey(kind, slug, feedFormat, limit, page);
        var feed = await cache.GetAsync(key, context.RequestAborted);
        if (feed is null)
        {
            return NotFound(page > 1
                ? $"Page {page} is past the end of this feed."
                : $"There is no {kind.ToString().ToLowerInvariant()} '{slug}'.");
        }
        return new CachedResponseResult(feed, _cacheControl, metrics, pollLimiter);
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Feed not found", detail: detail);
}
