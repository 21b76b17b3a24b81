using System.ComponentModel.DataAnnotations;

namespace NewsFeed.RateLimits;

/// <summary>
/// The "RateLimits" configuration section: politeness limits per client address (IPv4 address, or IPv6 /64).
/// Behind a CDN or proxy every request comes from its addresses: leave the feed limit off there (the CDN
/// absorbs polling) or forward the client address to the app first.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Admin API requests (articles, partners; rejected keys included) a client may make per <see cref="AdminWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int AdminPermitLimit { get; set; } = 600;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AdminWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Full feed responses (200 with a body) a client may receive per <see cref="FeedPollWindow"/>; 0 turns the limit off.
    /// Conditional requests answered 304, HEAD and errors are never counted, so a reader that sends its
    /// ETag back is never limited however often it polls.
    /// </summary>
    [Range(0, 1_000_000)]
    public int FeedPollPermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FeedPollWindow { get; set; } = TimeSpan.FromMinutes(1);
}
