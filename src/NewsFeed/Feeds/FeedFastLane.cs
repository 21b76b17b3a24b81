using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using NewsFeed.RateLimits;
using NewsFeed.Readers;

namespace NewsFeed.Feeds;

/// <summary>
/// Answers what nearly every request is, a feed reader polling a feed's plain address (no query) that the cache
/// holds fresh, before routing and the endpoint pipeline, with the very response the endpoint would send. Routing
/// (its matcher and route values), the route handler with its endpoint filter, and the status code pages feature
/// were most of what NewsFeed spent per poll beyond Kestrel itself (bench/README.md, "Cached hot path, against the
/// bare Kestrel handler"). Hand-written because the framework has no step before routing that can answer from
/// an application cache; it only short-cuts, never decides: a path is learned from the feed endpoint
/// (<see cref="Learn"/>) once that endpoint has served it, and any request the lane is not sure of (a query,
/// an <c>Origin</c> for CORS, a browser navigation for the HTML view, a copy not fresh or not cached, a path
/// base) goes the whole way. Cache hits, 304s, readers and the poll limit are counted as on the endpoint.
/// </summary>
internal sealed class FeedFastLane(FeedCache cache, FeedMetrics metrics, FeedPollLimiter pollLimiter, IOptions<FeedOptions> options,
    ReaderCounter readerCounter, IOptions<ReadersOptions> readersOptions)
{
    /// <summary>Each of a site's feeds in each format is one path; far more than that is someone inventing slugs.</summary>
    internal const int MaxPaths = 4096;

    /// <summary>What the endpoint varies on: Accept-Encoding, and for RSS and Atom the headers that pick the HTML view.</summary>
    private static readonly StringValues XmlVary = StringValues.Concat(FeedBrowserView.DecidingHeaders, CachedResponseResult.VaryAcceptEncoding);

    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly string _cacheControl = options.Value.CacheControl();
    /// <summary>Null when counting is off, as on the endpoint.</summary>
    private readonly ReaderCounter? _readers = readersOptions.Value.Enabled ? readerCounter : null;

    /// <summary>A learned path: its key, boxed once for the cache, and whether it is an XML feed (which has a browser view).</summary>
    private sealed record Lane(object BoxedKey, FeedKey Key, bool IsXml);

    /// <summary>
    /// The feed endpoint served <paramref name="path"/>, a feed's page one at the default limit asked without a
    /// query, as <paramref name="key"/>: the lane may answer it from now on.
    /// </summary>
    public void Learn(string path, FeedKey key)
    {
        if (_lanes.Count < MaxPaths && !_lanes.ContainsKey(path))
        {
            _lanes.TryAdd(path, new Lane(key, key, key.Format != FeedFormat.Json));
        }
    }

    /// <summary>The response when the lane can give it; null: the request goes on through the pipeline.</summary>
    public Task? TryServe(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || request.QueryString.HasValue
            || request.PathBase.HasValue
            || request.Path.Value is not { } path
            || !_lanes.TryGetValue(path, out var lane)
            || request.Headers.Origin.Count != 0
            || (lane.IsXml && FeedBrowserView.IsBrowserNavigation(request))
            || !cache.TryGetFresh(lane.BoxedKey, lane.Key, out var cached))
        {
            return null;
        }
        return CachedResponseResult.SendAsync(context, cached, _cacheControl, lane.IsXml ? XmlVary : CachedResponseResult.VaryAcceptEncoding, metrics, pollLimiter, _readers);
    }
}

internal static class FeedFastLaneMiddleware
{
    /// <summary>Runs <see cref="FeedFastLane"/> here; put it before routing (<c>UseRouting</c>), or it saves nothing.</summary>
    public static IApplicationBuilder UseFeedFastLane(this IApplicationBuilder app)
    {
        var lane = app.ApplicationServices.GetRequiredService<FeedFastLane>();
        return app.Use(next => context => lane.TryServe(context) ?? next(context));
    }
}
