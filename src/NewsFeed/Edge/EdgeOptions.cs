using System.ComponentModel.DataAnnotations;
using NewsFeed.Feeds;

namespace NewsFeed.Edge;

/// <summary>The "Edge" configuration section: tags on cacheable responses, the edge lifetime, and the purgers (docs/edge.md).</summary>
internal sealed class EdgeOptions : IValidatableObject, NewsFeed.Outbox.IOutboxHttpOptions
{
    public const string Section = "Edge";

    /// <summary>
    /// The edge's lifetime of a response (<c>Surrogate-Control</c> and <c>CDN-Cache-Control: max-age</c>), while
    /// Cache-Control for browsers and readers stays as <c>Feeds:MaxAge</c> says. Needs at least one purger: only
    /// a purge can end it early. Unset (the default): no edge lifetime, the edge follows Cache-Control.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan? MaxAge { get; set; }

    /// <summary>
    /// The tag headers sent (<c>xkey</c>, <c>Surrogate-Key</c>, <c>Cache-Tag</c>). Empty (the default): the ones the
    /// configured purgers read (Varnish: xkey; Fastly: Surrogate-Key; Cloudflare: Cache-Tag), so without purgers none.
    /// </summary>
    public string[] TagHeaders { get; set; } = [];

    /// <summary>Put before every key, in the tags and in the purges, so several sites can share one CDN service.</summary>
    [RegularExpression(@"^[A-Za-z0-9_.:/-]{0,64}$", ErrorMessage = "Edge:KeyPrefix may hold at most 64 letters, digits and _ . : / - (a key is one token in a space- or comma-separated header).")]
    public string KeyPrefix { get; set; } = "";

    /// <summary>Where changes are purged: a list of Varnish, Fastly and Cloudflare purgers.</summary>
    public PurgerOptions[] Purgers { get; set; } = [];

    /// <summary>Keys purged in one request at most (Cloudflare takes 30 tags a call on the smallest plans; Fastly 256).</summary>
    [Range(1, 256)]
    public int BatchSize { get; set; } = 30;

    /// <summary>Sends of one purge from the outbox before it is given up (each send retries within itself: <see cref="MaxRetries"/>).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 12;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan OutboxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan OutboxMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often each purger looks for purges when nothing woke it (a write in this instance, or a notification from another, does).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries of a failed purge request (5xx, 408, 429, network errors), with exponential backoff and jitter, honouring Retry-After.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most one purge request may take, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The tag headers sent: <see cref="TagHeaders"/>, or those the purgers read.</summary>
    public IReadOnlyList<string> EffectiveTagHeaders() => TagHeaders.Length > 0
        ? [.. TagHeaders.Select(Canonical).OfType<string>().Distinct(StringComparer.Ordinal)]
        : [.. Purgers.Select(purger => purger.TagHeader).OfType<string>().Distinct(StringComparer.Ordinal)];

    private static string? Canonical(string header) =>
        new[] { EdgeTagging.Xkey, EdgeTagging.SurrogateKey, EdgeTagging.CacheTag }.FirstOrDefault(known => string.Equals(known, header, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult($"{Section}:{nameof(TotalTimeout)} must not be shorter than {Section}:{nameof(AttemptTimeout)}.", [nameof(TotalTimeout)]);
        }
        if (MaxAge is not null && Purgers.Length == 0)
        {
            yield return new ValidationResult($"{Section}:{nameof(MaxAge)} needs at least one {Section}:{nameof(Purgers)} entry: without a purge the edge would serve a changed feed until it expires.", [nameof(MaxAge)]);
        }
        for (var i = 0; i < TagHeaders.Length; i++)
        {
            if (Canonical(TagHeaders[i]) is null)
            {
                yield return new ValidationResult($"{Section}:{nameof(TagHeaders)}:{i} must be xkey, Surrogate-Key or Cache-Tag.", [nameof(TagHeaders)]);
            }
        }
        for (var i = 0; i < Purgers.Length; i++)
        {
            foreach (var problem in Purgers[i].Problems($"{Section}:{nameof(Purgers)}:{i}"))
            {
                yield return new ValidationResult(problem, [nameof(Purgers)]);
            }
        }
    }
}
