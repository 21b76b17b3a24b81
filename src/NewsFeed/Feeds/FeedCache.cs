using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NewsFeed.Storage;

namespace NewsFeed.Feeds;

/// <summary>
/// Rendered feeds in a size-limited <see cref="MemoryCache"/> of its own. An entry is fresh while its
/// feed's version (<see cref="FeedPageReader.VersionOf"/>) is the one it was rendered at and no
/// embargo has lifted since: a write is visible to the very next request, with no expiry to wait for, and
/// it re-renders only the feeds it touched. Concurrent misses of one variant
/// share a single render. While the store is unreachable, a copy already held is served as it is.
/// </summary>
internal sealed class FeedCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly ConcurrentDictionary<(FeedKey Key, long Version), Lazy<Task<CachedResponse?>>> _renders = new();
    private readonly FeedRenderer _renderer;
    private readonly FeedPageReader _pages;
    private readonly TimeProvider _time;
    private readonly FeedMetrics _metrics;

    public FeedCache(FeedRenderer renderer, FeedPageReader pages, TimeProvider time, FeedMetrics metrics, IOptions<FeedOptions> options)
    {
        _renderer = renderer;
        _pages = pages;
        _time = time;
        _metrics = metrics;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheSizeMegabytes * 1024L * 1024L });
    }

    public async ValueTask<CachedResponse?> GetAsync(FeedKey key, CancellationToken cancellationToken)
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
            return cached;
        }
        if (cached is not null && IsFresh(cached, version))
        {
            _metrics.CacheHit();
            return cached;
        }
        _metrics.CacheMiss();

        // Keyed by version too: a request that arrives after a write must not join a render that began before it.
        // Task.Run: the store's async calls may complete synchronously (Microsoft.Data.Sqlite does), and a
        // render run inside Lazy.Value would block every other waiter's thread on Lazy's lock.
        var render = _renders.GetOrAdd((key, version), flight => new Lazy<Task<CachedResponse?>>(() => Task.Run(() => RenderOnceAsync(flight))));
        try
        {
            // The render itself is not cancelled when one waiting client goes away; the others share it.
            return await render.Value.WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (cached is not null && StoreUnavailable.Is(exception))
        {
            // A write or an embargo lift made the copy stale, and the store went away before the new render.
            _metrics.StaleServed();
            return cached;
        }
    }

    public void Dispose() => _cache.Dispose();

    private bool IsFresh(CachedResponse feed, long version) =>
        feed.Version == version && (feed.ValidUntil is not { } until || _time.GetUtcNow() < until);

    private async Task<CachedResponse?> RenderOnceAsync((FeedKey Key, long Version) flight)
    {
        try
        {
            // A request that missed just before the previous render was stored and left _renders
            // starts a new flight: it finds that render here instead of rendering again.
            if (_cache.TryGetValue(flight.Key, out CachedResponse? stored) && IsFresh(stored!, flight.Version))
            {
                return stored;
            }
            var feed = await _renderer.RenderAsync(flight.Key, flight.Version, CancellationToken.None);
            // Never replace a render of a newer version that finished first.
            if (feed is not null && !(_cache.TryGetValue(flight.Key, out CachedResponse? current) && current!.Version > flight.Version))
            {
                _cache.Set(flight.Key, feed, new MemoryCacheEntryOptions { Size = feed.EstimatedSize });
            }
            return feed;
        }
        finally
        {
            _renders.TryRemove(flight, out _);
        }
    }
}
