using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace NewsFeed.Feeds;

/// <summary>The "Feeds" configuration section: size of feeds and their HTTP caching.</summary>
internal sealed class FeedOptions : IValidatableObject
{
    public const string Section = "Feeds";

    /// <summary>Items in a feed when the request has no ?limit=.</summary>
    [Range(1, 1000)]
    public int DefaultLimit { get; set; } = 20;

    /// <summary>The largest ?limit= accepted; larger values get a 400.</summary>
    [Range(1, 1000)]
    public int MaxLimit { get; set; } = 100;

    /// <summary>
    /// The largest ?page= accepted. Feeds page by cursor (<c>?before=</c>, one index seek at any depth); ?page=N
    /// is kept for old links only, and answers a 302 to the cursor URL of that page, found by reading the sort
    /// keys (never the documents) of the first (N - 1) × limit items: at most <see cref="MaxPage"/> ×
    /// <see cref="MaxLimit"/> index entries per store.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxPage { get; set; } = 1000;

    /// <summary>The most articles one RFC 5005 archive document (a month of a feed) reads; a longer month continues in the next document.</summary>
    [Range(1, 10_000)]
    public int MaxArchiveItems { get; set; } = 500;

    /// <summary>Cache-Control max-age of an archive whose month has closed (it no longer changes: immutable).</summary>
    public TimeSpan ArchiveMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// The most bytes one feed document may take (uncompressed). A page that would be larger first gives up the
    /// full content of its oldest items for their summary, then leaves its oldest items for the next page; only
    /// a single item too large even as a summary is sent over it. It bounds a render's memory as much as the
    /// download (FeedBurner refused feeds over 512 KB; JSON Feed advises 100-250 KB). At least 64 KB, so that a
    /// page of summaries always fits.
    /// </summary>
    [Range(65_536, 1_073_741_824)]
    public int MaxFeedBytes { get; set; } = 1_048_576;

    /// <summary>RSS &lt;ttl&gt;: how long a reader may wait between polls.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Cache-Control max-age on feeds.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Cache-Control stale-while-revalidate (RFC 5861).</summary>
    public TimeSpan StaleWhileRevalidate { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cache-Control stale-if-error (RFC 5861).</summary>
    public TimeSpan StaleIfError { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// At most this many cold renders (of a feed variant or a browser view the cache does not hold) run at once; more wait in a
    /// queue (<see cref="RenderAdmission"/>). A request for a cached feed never waits for them.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentRenders { get; set; } = Environment.ProcessorCount;

    /// <summary>Cold renders that may wait for one of <see cref="MaxConcurrentRenders"/>; beyond it a render is refused at once (503).</summary>
    [Range(0, 100_000)]
    public int RenderQueueLimit { get; set; } = 64;

    /// <summary>Longest a cold render waits in the queue before it is refused (503).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RenderQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Cold renders are refused (503) while the GC heap is at or over this percentage of what the process may use
    /// (the GC's heap hard limit when one is set, as in a container; else the machine's or its cgroup's memory);
    /// 100 turns the check off. Below the GC's own high-memory threshold (90%), so renders stop before the GC struggles.
    /// </summary>
    [Range(1, 100)]
    public int MaxMemoryLoadPercent { get; set; } = 85;

    /// <summary>Size limit of the rendered-feed cache: identity, gzip and Brotli bytes and browser views, all counted.</summary>
    [Range(1, 16_384)]
    public int CacheSizeMegabytes { get; set; } = 64;

    /// <summary>The Cache-Control of every feed response (RFC 9111, RFC 5861), from the settings above.</summary>
    public string CacheControl() => string.Create(CultureInfo.InvariantCulture,
        $"public, max-age={(long)MaxAge.TotalSeconds}, stale-while-revalidate={(long)StaleWhileRevalidate.TotalSeconds}, stale-if-error={(long)StaleIfError.TotalSeconds}");

    /// <summary>
    /// The Cache-Control of an archive whose month has closed: long and <c>immutable</c> (RFC 8246), so readers and
    /// caches fetch it once. stale-if-error as for feeds.
    /// </summary>
    public string ClosedArchiveCacheControl() => string.Create(CultureInfo.InvariantCulture,
        $"public, max-age={(long)ArchiveMaxAge.TotalSeconds}, immutable, stale-if-error={(long)StaleIfError.TotalSeconds}");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultLimit > MaxLimit)
        {
            yield return new ValidationResult($"{Section}:{nameof(DefaultLimit)} must not exceed {Section}:{nameof(MaxLimit)}.", [nameof(DefaultLimit)]);
        }
        foreach (var (name, value) in new[] { (nameof(TimeToLive), TimeToLive), (nameof(MaxAge), MaxAge), (nameof(StaleWhileRevalidate), StaleWhileRevalidate), (nameof(StaleIfError), StaleIfError), (nameof(ArchiveMaxAge), ArchiveMaxAge) })
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromDays(365))
            {
                yield return new ValidationResult($"{Section}:{name} must be between 00:00:00 and 365.00:00:00.", [name]);
            }
        }
    }
}
