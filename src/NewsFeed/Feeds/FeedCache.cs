using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using NewsFeed.Storage;

namespace NewsFeed.Feeds;

/// <summary>
/// Rendered feeds and their browser views in a size-limited <see cref="MemoryCache"/> of its own, each entry
/// counted at what it really holds (<see cref="CachedResponse.Size"/>: identity, gzip and Brotli bytes as made), so
/// <c>Feeds:CacheSizeMegabytes</c> bounds the bytes kept. An entry is fresh while its feed's version
/// (<see cref="FeedPageReader.VersionOf"/>) is the one it was rendered at and no embargo has lifted since: a
/// write is visible to the very next request, with no expiry to wait for, and it re-renders only the feeds it
/// touched. A miss renders only when <see cref="RenderAdmission"/> lets it, on a thread of <see cref="RenderThreads"/>
/// so requests keep the thread pool, and concurrent misses of one
/// variant share a single render. While the store is unreachable, or when a render is refused, a copy already
/// held is served as it is.
/// </summary>
internal sealed class FeedCache : IDisposable
{
    private readonly MemoryCache _cache;
    /// <summary>Renders in progress, by (<see cref="FeedKey"/>, version) or <see cref="BrowserViewKey"/>.</summary>
    private readonly ConcurrentDictionary<object, Lazy<Task<FeedLookup>>> _renders = new();
    private readonly FeedRenderer _renderer;
    private readonly FeedPageReader _pages;
    private readonly RenderAdmission _admission;
    private readonly RenderThreads _renderThreads;
    private readonly TimeProvider _time;
    private readonly FeedMetrics _metrics;

    public FeedCache(FeedRenderer renderer, FeedPageReader pages, RenderAdmission admission, RenderThreads renderThreads, TimeProvider time, FeedMetrics metrics, IOptions<FeedOptions> options)
    {
        _renderer = renderer;
        _pages = pages;
        _admission = admission;
        _renderThreads = renderThreads;
        _time = time;
        _metrics = metrics;
        // Its clock only orders entries by last access (none expires by time): a coarse one spares every hit a clock read.
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheSizeMegabytes * 1024L * 1024L, Clock = CoarseClock.System });
    }

    /// <summary>The feed (null: unknown, or past its end), or the refusal of the render it needed.</summary>
    public async ValueTask<FeedLookup> GetAsync(FeedKey key, CancellationToken cancellationToken)
    {
        _cache.TryGetValue(key, out CachedResponse? cached);
        long version;
        try
        {
            version = await _pages.VersionOfAsync(key, cancellationToken);
        }
        catch (Exception exception) when (cached is not null && StoreUnavailable.Is(exception))
        {
            // The store cannot say whether the copy is current (an instance that lost its change notifications
            // while the database is down): serve it, stale-if-error, rather than fail.
            _metrics.StaleServed();
            return new(cached, null);
        }
        if (cached is not null && IsFresh(cached, version))
        {
            _metrics.CacheHit();
            return new(cached, null);
        }
        _metrics.CacheMiss();

        FeedLookup rendered;
        try
        {
            // Keyed by version too: a request that arrives after a write must not join a render that began before it.
            // The render itself is not cancelled when one waiting client goes away; the others share it.
            rendered = await RenderShared((key, version), () => RenderOnceAsync(key, version)).WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (cached is not null && StoreUnavailable.Is(exception))
        {
            // A write or an embargo lift made the copy stale, and the store went away before the new render.
            _metrics.StaleServed();
            return new(cached, null);
        }
        if (rendered.Refusal is { } refusal)
        {
            _metrics.RenderRefused(refusal);
            if (cached is not null)
            {
                // An older version of this very variant beats a 503: it is what a shared cache in front would
                // serve on our 503 anyway (stale-if-error, RFC 5861), and it costs nothing to send.
                _metrics.StaleServed(refusal);
                return new(cached, null);
            }
        }
        return rendered;
    }

    /// <summary>
    /// The cached copy of <paramref name="key"/> when it is fresh and the store answers its version at once (from
    /// memory): <see cref="FeedFastLane"/>'s lookup, which never waits, renders or serves a stale copy; anything
    /// else is false and goes the whole way (<see cref="GetAsync"/>). <paramref name="boxedKey"/> is
    /// <paramref name="key"/> boxed once for the cache's object keys, so a hit allocates nothing.
    /// </summary>
    public bool TryGetFresh(object boxedKey, FeedKey key, [NotNullWhen(true)] out CachedResponse? cached)
    {
        if (_cache.TryGetValue(boxedKey, out cached) && cached is not null)
        {
            var version = _pages.VersionOfAsync(key, CancellationToken.None);
            if (version.IsCompletedSuccessfully && IsFresh(cached, version.Result))
            {
                _metrics.CacheHit();
                return true;
            }
        }
        cached = null;
        return false;
    }

    /// <summary>
    /// The HTML view of a feed (<see cref="FeedBrowserView"/>), made at most once per feed render, under the same
    /// admission as renders, and kept as an entry of its own counted against the same size limit. Keyed by the
    /// feed's bytes (their ETag), it holds no reference to the feed: it stays or goes by its own use, and a new
    /// render of the feed, with new bytes, gets a new view. Once that new render has replaced the feed in the cache,
    /// the old view goes (<see cref="CachedResponse.Superseded"/>): no request can reach it any more, and under a
    /// steady stream of writes the dead views of every version otherwise filled the cache up to its limit.
    /// </summary>
    /// <param name="render">Makes the view from the feed's bytes.</param>
    public async ValueTask<FeedLookup> GetViewAsync(CachedResponse feed, Func<CachedResponse, CachedResponse> render, CancellationToken cancellationToken)
    {
        var key = new BrowserViewKey(feed.Identity.ETag);
        if (_cache.TryGetValue(key, out CachedResponse? view))
        {
            return new(view, null);
        }
        var rendered = await RenderShared(key, () => RenderViewOnceAsync(key, feed, render)).WaitAsync(cancellationToken);
        if (rendered.Refusal is { } refusal)
        {
            _metrics.RenderRefused(refusal);
        }
        return rendered;
    }

    /// <summary>Everything the cache holds now, feeds and views (for tests of its accounting).</summary>
    internal IEnumerable<CachedResponse> Held() =>
        _cache.Keys.Select(key => _cache.TryGetValue(key, out CachedResponse? held) ? held : null).OfType<CachedResponse>();

    public void Dispose() => _cache.Dispose();

    private bool IsFresh(CachedResponse feed, long version) =>
        feed.Version == version && (feed.ValidUntil is not { } until || _time.GetUtcNow() < until);

    /// <summary>One run of <paramref name="render"/> for every request that wants <paramref name="flight"/> while it runs.</summary>
    private Task<FeedLookup> RenderShared(object flight, Func<Task<FeedLookup>> render) =>
        // Lazy.Value runs the render only up to its hand-over to RenderThreads (the store's reads, which
        // Microsoft.Data.Sqlite completes synchronously, run there), so other waiters never wait long on Lazy's lock.
        _renders.GetOrAdd(flight, key => new Lazy<Task<FeedLookup>>(async () =>
        {
            try
            {
                return await render();
            }
            finally
            {
                _renders.TryRemove(key, out _);
            }
        })).Value;

    private async Task<FeedLookup> RenderOnceAsync(FeedKey key, long version)
    {
        // A request that missed just before the previous render was stored and left _renders
        // starts a new flight: it finds that render here instead of rendering again.
        if (_cache.TryGetValue(key, out CachedResponse? stored) && IsFresh(stored!, version))
        {
            return new(stored, null);
        }
        // Held until the render is stored: its bytes and their compressed forms are made under it.
        using var permit = await _admission.EnterAsync();
        if (permit.Refusal is { } refusal)
        {
            return new(null, refusal);
        }
        var feed = await _renderThreads.Run(() => _renderer.RenderAsync(key, version, CancellationToken.None));
        // Never replace a render of a newer version that finished first.
        if (feed is not null && !(_cache.TryGetValue(key, out CachedResponse? current) && current!.Version > version))
        {
            Store(key, feed);
            // The view of the replaced bytes leaves the cache now, not when the size limit pushes it out.
            if (current is not null && !ReferenceEquals(current, feed)) current.Supersede();
        }
        return new(feed, null);
    }

    private async Task<FeedLookup> RenderViewOnceAsync(BrowserViewKey key, CachedResponse feed, Func<CachedResponse, CachedResponse> render)
    {
        using var permit = await _admission.EnterAsync();
        if (permit.Refusal is { } refusal)
        {
            return new(null, refusal);
        }
        var view = await _renderThreads.Run(() => render(feed));
        Store(key, view, feed.Superseded);
        return new(view, null);
    }

    /// <summary>
    /// An entry larger than the whole limit is not kept (MemoryCache refuses it); it still answers the requests
    /// that waited for it. A compressed form made later, on the first request that asks for it, is counted then:
    /// the entry is set again at its new size (and, if that no longer fits, leaves the cache).
    /// </summary>
    /// <param name="expiresWith">When cancelled, the entry leaves the cache (a view, with its feed's <see cref="CachedResponse.Superseded"/>).</param>
    private void Store(object key, CachedResponse response, CancellationToken expiresWith = default)
    {
        _cache.Set(key, response, EntryOptions(response, expiresWith));
        response.OnGrown(grown =>
        {
            if (_cache.TryGetValue(key, out CachedResponse? current) && ReferenceEquals(current, grown))
            {
                // Removed first: a Set that no longer fits is refused and would leave the entry counted at its old size.
                _cache.Remove(key);
                _cache.Set(key, grown, EntryOptions(grown, expiresWith));
            }
        });
    }

    private static MemoryCacheEntryOptions EntryOptions(CachedResponse response, CancellationToken expiresWith)
    {
        var options = new MemoryCacheEntryOptions { Size = response.Size };
        if (expiresWith.CanBeCanceled) options.AddExpirationToken(new CancellationChangeToken(expiresWith));
        return options;
    }

    /// <summary>The browser view of the feed whose identity bytes have this ETag.</summary>
    private sealed record BrowserViewKey(string FeedETag);
}

/// <summary>What <see cref="FeedCache"/> found: a response (null when there is no such feed), or why its render was refused.</summary>
internal readonly record struct FeedLookup(CachedResponse? Response, RenderRefusal? Refusal);
