using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.RateLimits;
using NewsFeed.Readers;

namespace NewsFeed.Feeds;

/// <summary>One feed request: read the query strictly, send a non-canonical spelling to its canonical URL, find or render the variant, send it.</summary>
internal sealed class FeedEndpoint(FeedCache cache, FeedPageReader pages, TimeProvider time, FeedMetrics metrics, FeedPollLimiter pollLimiter, FeedFastLane fastLane,
    IOptions<FeedOptions> options, ReaderCounter readerCounter, IOptions<ReadersOptions> readersOptions)
{
    /// <summary>A redirect to the canonical URL never changes; a day keeps a reader from asking each time.</summary>
    private const string CanonicalRedirectCacheControl = "public, max-age=86400";

    private readonly string _cacheControl = options.Value.CacheControl();
    /// <summary>Null when counting is off, so the hot path does not even call it.</summary>
    private readonly ReaderCounter? _readers = readersOptions.Value.Enabled ? readerCounter : null;
    private readonly string _closedArchiveCacheControl = options.Value.ClosedArchiveCacheControl();
    private readonly string _pageRedirectCacheControl = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"public, max-age={(long)options.Value.MaxAge.TotalSeconds}");

    public async Task<IResult> ServeAsync(HttpContext context, FeedKind kind, string? slug, string format)
    {
        var settings = options.Value;
        if (UnknownFeed(kind, slug, format, out var feedFormat) is { } unknown)
        {
            return unknown;
        }

        if (!context.Request.QueryString.HasValue)
        {
            // What nearly every poll asks for: page one at the default limit, already its canonical URL. Once it is
            // known to be a feed, the fast lane answers its next polls while the cache holds it fresh.
            var plain = new FeedKey(kind, slug, feedFormat, settings.DefaultLimit, null);
            var result = await ServeKeyAsync(context, plain, kind, slug);
            if (result is CachedResponseResult && context.Request.Path.Value is { } path && !context.Request.PathBase.HasValue)
            {
                fastLane.Learn(path, plain);
            }
            return result;
        }
        var errors = new Dictionary<string, string[]>();
        var limit = QueryParameters.BoundedInt(context.Request.Query, "limit", settings.DefaultLimit, settings.MaxLimit, errors);
        var page = QueryParameters.BoundedInt(context.Request.Query, "page", 1, settings.MaxPage, errors);
        var before = FeedCursorParameter.Read(context.Request.Query, errors);
        if (page > 1 && before is not null)
        {
            errors["page"] = ["'page' and 'before' cannot be given together; follow the feed's next link."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The feed query is not valid.");
        }

        var key = new FeedKey(kind, slug, feedFormat, limit, before);
        if (page > 1)
        {
            return await RedirectToCursorAsync(context, key, page);
        }
        var canonical = key.QueryFor(before, settings.DefaultLimit);
        if (!string.Equals(context.Request.QueryString.Value ?? "", canonical, StringComparison.Ordinal))
        {
            // One URL per page (parameter order, defaults left out, nothing unknown), so shared caches keep one
            // copy and the feed's self link is the address it was fetched from.
            context.Response.Headers.CacheControl = CanonicalRedirectCacheControl;
            return TypedResults.Redirect(context.Request.PathBase + context.Request.Path + canonical, permanent: true);
        }
        return await ServeKeyAsync(context, key, kind, slug);
    }

    private async Task<IResult> ServeKeyAsync(HttpContext context, FeedKey key, FeedKind kind, string? slug)
    {
        var (feed, refusal) = await cache.GetAsync(key, context.RequestAborted);
        if (refusal is { } refused)
        {
            return new RenderRefusedResult(refused);
        }
        if (feed is null)
        {
            return NotFound(key.Before is not null
                ? "There is nothing below that position in this feed."
                : $"There is no {kind.ToString().ToLowerInvariant()} '{slug}'.");
        }
        return new CachedResponseResult(feed, _cacheControl, metrics, pollLimiter, _readers);
    }

    /// <summary>
    /// One RFC 5005 archive document (<c>/feeds/{feed}/archive/{yyyy-MM}.{format}</c>): a month of an article feed.
    /// Once its month has closed and none of its articles waits for an embargo, it is served as immutable.
    /// </summary>
    public async Task<IResult> ServeArchiveAsync(HttpContext context, FeedKind kind, string? slug, string period, string format)
    {
        if (UnknownFeed(kind, slug, format, out var feedFormat) is { } unknown)
        {
            return unknown;
        }
        if (!FeedMonth.TryParse(period, out var month))
        {
            return NotFound($"'{period}' is not an archive: archives are months, written yyyy-MM.");
        }
        // A month longer than one document continues below a position (?before=, from the prev-archive link).
        var errors = new Dictionary<string, string[]>();
        var before = FeedCursorParameter.Read(context.Request.Query, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The archive query is not valid.");
        }
        var canonical = FeedCursorParameter.QueryOf(before);
        if (!string.Equals(context.Request.QueryString.Value ?? "", canonical, StringComparison.Ordinal))
        {
            // An archive document has one address: nothing else in its query selects anything.
            context.Response.Headers.CacheControl = CanonicalRedirectCacheControl;
            return TypedResults.Redirect(context.Request.PathBase + context.Request.Path + canonical, permanent: true);
        }
        var key = new FeedKey(kind, slug, feedFormat, options.Value.MaxArchiveItems, before) { Archive = month };
        var (feed, refusal) = await cache.GetAsync(key, context.RequestAborted);
        if (refusal is { } refused)
        {
            return new RenderRefusedResult(refused);
        }
        if (feed is null)
        {
            return NotFound($"This feed has no stories published in {month}.");
        }
        var closed = time.GetUtcNow() >= month.Value.End && feed.ValidUntil is null;
        return new CachedResponseResult(feed, closed ? _closedArchiveCacheControl : _cacheControl, metrics, pollLimiter);
    }

    /// <summary>
    /// An old <c>?page=N</c> link (N &gt; 1): a temporary redirect to the cursor URL of that page, found by a keys-only
    /// seek (<see cref="FeedPageReader.CursorOfPageAsync"/>). Temporary, and cached no longer than the feed, because
    /// page N moves down as stories are published.
    /// </summary>
    private async Task<IResult> RedirectToCursorAsync(HttpContext context, FeedKey key, int page)
    {
        if (await pages.CursorOfPageAsync(key, page, time.GetUtcNow(), context.RequestAborted) is not { } cursor)
        {
            return NotFound($"Page {page} is past the end of this feed.");
        }
        context.Response.Headers.CacheControl = _pageRedirectCacheControl;
        return TypedResults.Redirect(context.Request.PathBase + context.Request.Path + key.QueryFor(cursor, options.Value.DefaultLimit));
    }

    /// <summary>A 404 when the address names no format or no valid slug; null when it may name a feed.</summary>
    private static ProblemHttpResult? UnknownFeed(FeedKind kind, string? slug, string format, out FeedFormat feedFormat)
    {
        if (!FeedFormats.TryParse(format, out feedFormat))
        {
            return NotFound($"There is no feed format '{format}'; use rss, atom or json.");
        }
        if (slug is not null && (slug.Length > ArticleRules.MaxSlugLength || !ArticleRules.SlugPattern().IsMatch(slug)))
        {
            return NotFound($"There is no {kind.ToString().ToLowerInvariant()} with that slug.");
        }
        return null;
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Feed not found", detail: detail);
}
