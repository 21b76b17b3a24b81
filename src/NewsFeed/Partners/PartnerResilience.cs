using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace NewsFeed.Partners;

/// <summary>
/// The partner client's resilience pipeline, one per partner host (see <see cref="PartnersRegistration"/>):
/// total timeout, retries, circuit breaker, attempt timeout. What is retried, how long a retry waits, and
/// what counts against a host's circuit are decided here.
/// </summary>
internal static class PartnerResilience
{
    public static void Build(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PartnerOptions>>().Value;
        // Timeouts and retry delays bound real sockets, so they run on the wall clock even when the app's
        // TimeProvider is a test's fake one (which decides when polls are due, not how long a socket waits).
        pipeline.TimeProvider = TimeProvider.System;
        var maxRetryAttempts = Math.Max(options.MaxRetries, 1);
        // One warning line per failed attempt, naming the feed's URL, and none of Polly's stack traces; the
        // poller's own line for the whole poll names the partner's id.
        FailedAttemptLog.Configure(pipeline, services, services.GetRequiredService<ILogger<PartnerFetcher>>(), "Partner feed", maxRetryAttempts);
        pipeline
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = maxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryAfter,
                // Replaces the library's Retry-After generator (ShouldRetryAfterHeader), which lets a Retry-After
                // of 0 or a date just past send the retries out back to back.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(RetryDelay(args.Outcome.Result, args.AttemptNumber, options)),
                // Retry what is transient, unless the partner asks us to wait longer than we would inside one poll
                // (that answer goes back to the poller, which schedules past it) or a CDN put a bot challenge in
                // front of the feed (asking again at once only makes it stricter).
                ShouldHandle = args => ValueTask.FromResult(
                    options.MaxRetries > 0
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && !(args.Outcome.Result is { } response
                        && (RetryDelay(response, args.AttemptNumber, options) > options.MaxRetryAfter || BotChallenge.IsMarkedByHeaders(response)))),
            })
            // Per partner host (SelectPipelineBy in PartnersRegistration), tuned for a poller's few requests.
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsHostFailure(args.Outcome, args.Context)),
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>
    /// How long to wait before retrying <paramref name="response"/>; null leaves it to the exponential backoff.
    /// A 429 or 503 is never retried sooner than <see cref="PartnerOptions.MinRetryDelay"/>, whatever its
    /// Retry-After says (RFC 9110 §10.2.3: a date already past, 0, or a value we cannot read), so a partner
    /// that is shedding load is never sent a burst; otherwise its Retry-After is honoured as given.
    /// </summary>
    internal static TimeSpan? RetryDelay(HttpResponseMessage? response, int attempt, PartnerOptions options)
    {
        if (response is null) return null;
        var retryAfter = PartnerFetcher.RetryAfterOf(response);
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return retryAfter;
        // In double seconds, clamped before it becomes a TimeSpan, as the poller's backoff is.
        var backoff = TimeSpan.FromSeconds(Math.Min(options.RetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt, 30)), options.MaxRetryAfter.TotalSeconds));
        var delay = retryAfter ?? backoff;
        return delay < options.MinRetryDelay ? options.MinRetryDelay : delay;
    }

    /// <summary>
    /// What counts against a host's circuit: only the host failing (no connection, no answer in time, a 5xx).
    /// A 404, 410 or 429, an unreadable document (never seen here), a refused address or a failing redirect
    /// target are one partner's problem, and on a shared feed host (Substack, Medium, WordPress.com) they
    /// must not stop every other partner there.
    /// </summary>
    internal static bool IsHostFailure(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (context.GetRequestMessage() is { } request
            && request.Options.TryGetValue(PartnerFetcher.PipelineKey, out var host)
            && !string.Equals(request.RequestUri?.Authority, host, StringComparison.OrdinalIgnoreCase))
        {
            return false; // a redirect hop to another host: not this host's failure
        }
        return outcome switch
        {
            { Result: { } response } => (int)response.StatusCode >= 500,
            { Exception: TimeoutRejectedException } => true,
            { Exception: HttpRequestException exception } => !PartnerAddressGuard.IsRefusal(exception),
            // The handler's connect timeout; a cancelled poll (shutdown, the fetcher's own deadline) is no one's failure.
            { Exception: OperationCanceledException } => !context.CancellationToken.IsCancellationRequested,
            _ => false,
        };
    }
}
