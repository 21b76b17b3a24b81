using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using NewsFeed.RateLimits;

namespace NewsFeed.Feeds;

/// <summary>
/// Sends a rendered feed with exact HTTP caching: content coding chosen from Accept-Encoding,
/// a strong ETag per coding, 304 by RFC 9110 §13.2.2 (If-None-Match first; If-Modified-Since only
/// without it), HEAD without a body. Nothing here renders or compresses: the bytes are ready.
/// </summary>
/// <param name="pollLimiter">Counts full responses per client, when the optional feed poll limit is on.</param>
internal sealed class FeedResult(RenderedFeed feed, string cacheControl, FeedMetrics metrics, FeedPollLimiter? pollLimiter = null) : IResult
{
    /// <summary>What is about to be sent, for endpoint filters that offer another view of it.</summary>
    public RenderedFeed Feed => feed;

    public Task ExecuteAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var representation = ContentCoding.Choose(request.Headers.AcceptEncoding) switch
        {
            "br" => feed.BrotliEncoded,
            "gzip" => feed.GzipEncoded,
            _ => feed.Identity,
        };

        var notModified = IsNotModified(request, representation.ETag, feed.LastModified);
        // Only a full answer costs the poll limit: a 304 (or a HEAD) is what polite polling looks like.
        if (!notModified && pollLimiter is not null && !HttpMethods.IsHead(request.Method) && pollLimiter.Check(context) is { } tooMany)
        {
            return tooMany.ExecuteAsync(context);
        }

        var headers = response.Headers;
        headers.ETag = representation.ETag;
        headers.CacheControl = cacheControl;
        // Appended, not set: a filter may already vary the response on other headers.
        headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        if (feed.LastModifiedHeader is { } lastModified)
        {
            headers.LastModified = lastModified;
        }

        if (notModified)
        {
            metrics.NotModified();
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        headers.Link = feed.LinkHeader;
        response.ContentType = feed.ContentType;
        if (representation.ContentEncoding is { } encoding)
        {
            headers.ContentEncoding = encoding;
        }
        response.ContentLength = representation.Body.Length;
        return HttpMethods.IsHead(request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(representation.Body, 0, representation.Body.Length, context.RequestAborted);
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
            // RFC 9110 §13.1.2: weak comparison; "*" matches any current representation.
            return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
                && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
        }
        // RFC 9110 §13.1.3: ignored when If-None-Match is present (handled above) or the date is invalid.
        return lastModified is { } modified
            && HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since)
            && modified <= since;
    }
}

/// <summary>Content-coding negotiation (RFC 9110 §12.5.3) among the codings we keep: br, gzip, identity.</summary>
internal static class ContentCoding
{
    private const int MaxRemembered = 128;

    // Each client sends the same Accept-Encoding on every poll, and there are few distinct ones in the wild:
    // the choice for each is worked out once (bounded, so odd headers cannot grow it) instead of parsed per request.
    private static readonly ConcurrentDictionary<string, string> Remembered = new(StringComparer.Ordinal);

    public static string Choose(StringValues acceptEncoding)
    {
        if (acceptEncoding.Count != 1 || acceptEncoding[0] is not { Length: <= 256 } header)
        {
            return Negotiate(acceptEncoding);
        }
        if (Remembered.TryGetValue(header, out var coding))
        {
            return coding;
        }
        coding = Negotiate(acceptEncoding);
        if (Remembered.Count < MaxRemembered)
        {
            Remembered.TryAdd(header, coding);
        }
        return coding;
    }

    private static string Negotiate(StringValues acceptEncoding)
    {
        if (StringValues.IsNullOrEmpty(acceptEncoding) || !StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var codings))
        {
            return "identity";
        }
        double? br = null, gzip = null, identity = null, any = null;
        foreach (var coding in codings)
        {
            var quality = coding.Quality ?? 1.0;
            if (coding.Value.Equals("br", StringComparison.OrdinalIgnoreCase)) br = quality;
            else if (coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)) gzip = quality;
            else if (coding.Value.Equals("identity", StringComparison.OrdinalIgnoreCase)) identity = quality;
            else if (coding.Value.Equals("*", StringComparison.Ordinal)) any = quality;
        }
        var brQuality = br ?? any ?? 0;
        var gzipQuality = gzip ?? any ?? 0;
        // Identity is acceptable unless excluded; it only wins when the client ranks it above both codings.
        // When everything is excluded we still send identity rather than a 406 (RFC 9110 §12.5.3 allows either).
        var identityQuality = identity ?? 0;
        if (brQuality > 0 && brQuality >= gzipQuality && brQuality >= identityQuality) return "br";
        if (gzipQuality > 0 && gzipQuality >= identityQuality) return "gzip";
        return "identity";
    }
}
