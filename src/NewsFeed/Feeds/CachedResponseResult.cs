using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using NewsFeed.RateLimits;
using NewsFeed.Readers;

namespace NewsFeed.Feeds;

/// <summary>
/// Sends a <see cref="CachedResponse"/> with exact HTTP caching: content coding chosen from Accept-Encoding,
/// a strong ETag per coding, 304 by RFC 9110 §13.2.2 (If-None-Match first; If-Modified-Since only
/// without it), HEAD without a body. Nothing here renders or compresses: the bytes are ready.
/// </summary>
/// <param name="pollLimiter">Counts full responses per client, when the optional feed poll limit is on.</param>
/// <param name="readers">Counts the feed's readers (<see cref="CachedResponse.CountAs"/>) on every 200 and 304, when counting is on.</param>
internal sealed class CachedResponseResult(CachedResponse cached, string cacheControl, FeedMetrics metrics, FeedPollLimiter? pollLimiter = null, ReaderCounter? readers = null) : IResult
{
    /// <summary>The Vary of a response nothing else varied: one value made once, not a new array per request.</summary>
    internal static readonly StringValues VaryAcceptEncoding = new(HeaderNames.AcceptEncoding);

    /// <summary>What is about to be sent, for endpoint filters that offer another view of it.</summary>
    public CachedResponse Response => cached;

    public Task ExecuteAsync(HttpContext context)
    {
        // Appended, not set: a filter may already vary the response on other headers.
        var vary = context.Response.Headers.Vary;
        return SendAsync(context, cached, cacheControl, vary.Count == 0 ? VaryAcceptEncoding : StringValues.Concat(vary, VaryAcceptEncoding), metrics, pollLimiter, readers);
    }

    /// <summary>Sends <paramref name="cached"/> with <paramref name="vary"/> as the whole Vary (the fast lane's, made once per feed).</summary>
    public static Task SendAsync(HttpContext context, CachedResponse cached, string cacheControl, StringValues vary, FeedMetrics metrics, FeedPollLimiter? pollLimiter,
        ReaderCounter? readers)
    {
        var request = context.Request;
        var response = context.Response;
        var representation = ContentCoding.Choose(request.Headers.AcceptEncoding) switch
        {
            "br" => cached.BrotliEncoded,
            "gzip" => cached.GzipEncoded,
            _ => cached.Identity,
        };

        var notModified = IsNotModified(request, representation.ETag, cached.LastModified);
        // Only a full answer costs the poll limit: a 304 (or a HEAD) is what polite polling looks like.
        if (!notModified && pollLimiter is not null && !HttpMethods.IsHead(request.Method) && pollLimiter.Check(context) is { } tooMany)
        {
            return tooMany.ExecuteAsync(context);
        }

        var headers = response.Headers;
        headers.ETag = representation.ETag;
        headers.CacheControl = cacheControl;
        headers.Vary = vary;
        cached.Edge?.WriteTo(headers);
        if (cached.LastModifiedHeader is { } lastModified)
        {
            headers.LastModified = lastModified;
        }

        if (notModified)
        {
            metrics.NotModified();
            if (readers is not null && cached.CountAs is { } feed) readers.Record(feed, context, notModified: true, 0);
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        headers.Link = cached.LinkHeader;
        response.ContentType = cached.ContentType;
        if (representation.ContentEncoding is { } encoding)
        {
            headers.ContentEncoding = encoding;
        }
        response.ContentLength = representation.Body.Length;
        var head = HttpMethods.IsHead(request.Method);
        if (readers is not null && cached.CountAs is { } counted) readers.Record(counted, context, notModified: false, head ? 0 : representation.Body.Length);
        if (head)
        {
            return Task.CompletedTask;
        }
        // Through the pipe: a write that completes at once (nearly all of them) allocates no Task.
        var written = response.BodyWriter.WriteAsync(representation.Body, context.RequestAborted);
        return written.IsCompletedSuccessfully ? Task.CompletedTask : written.AsTask();
    }

    private static bool IsNotModified(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (!StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            // What a cache or reader nearly always sends: the very tag it was given. That matches with no parsing.
            if (ifNoneMatch.Count == 1 && string.Equals(ifNoneMatch[0], etag, StringComparison.Ordinal))
            {
                return true;
            }
            return MatchesAny(ifNoneMatch, etag);
        }
        // RFC 9110 §13.1.3: ignored when If-None-Match is present (handled above) or the date is invalid.
        return lastModified is { } modified
            && HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since)
            && modified <= since;
    }

    /// <summary>
    /// RFC 9110 §13.1.2: weak comparison; "*" matches any current representation. A method of its own: the lambda's
    /// closure over <paramref name="etag"/> would otherwise be allocated on every call of the caller, 304s included
    /// (it was the one allocation a cached poll made).
    /// </summary>
    private static bool MatchesAny(StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
}
