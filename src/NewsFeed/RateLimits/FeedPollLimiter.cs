using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace NewsFeed.RateLimits;

/// <summary>
/// The optional per-client limit on full feed responses (<see cref="RateLimitOptions.FeedPollPermitLimit"/>).
/// It is consulted only once a feed is about to be sent with a body, so a conditional poll that ends in 304
/// is free, and a client cannot dodge the limit with a made-up If-None-Match.
/// </summary>
internal sealed class FeedPollLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? _limiter;

    public FeedPollLimiter(IOptions<RateLimitOptions> options)
    {
        var settings = options.Value;
        if (settings.FeedPollPermitLimit == 0) return;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitsRegistration.PerClient(context, settings.FeedPollPermitLimit, settings.FeedPollWindow));
    }

    /// <returns>Null when the full response may be sent, else the 429 to send instead.</returns>
    public IResult? Check(HttpContext context)
    {
        if (_limiter is null) return null;
        using var lease = _limiter.AttemptAcquire(context);
        return lease.IsAcquired ? null : RateLimitsRegistration.TooManyRequests(context, lease, "unconditional feed requests (send If-None-Match or If-Modified-Since)");
    }

    public void Dispose() => _limiter?.Dispose();
}
