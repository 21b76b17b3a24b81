using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace NewsFeed.Outbox;

/// <summary>The settings of an outbox sender's HTTP requests (<c>WebSub:*</c>, <c>Edge:*</c>).</summary>
internal interface IOutboxHttpOptions
{
    /// <summary>Retries of one send within its pipeline; 0: none (the outbox sends again later).</summary>
    int MaxRetries { get; }

    TimeSpan RetryDelay { get; }

    TimeSpan AttemptTimeout { get; }

    TimeSpan TotalTimeout { get; }
}

/// <summary>
/// The typed <see cref="HttpClient"/> of an outbox sender (a WebSub hub client, an edge purger), with the
/// resilience pipeline every sender's requests take: a total timeout, retries of 5xx, 408, 429 and network errors
/// with exponential backoff and jitter (a 429's or 503's <c>Retry-After</c> waited for), a timeout per attempt,
/// and one log line per failed attempt (<see cref="FailedAttemptLog"/>).
/// </summary>
internal static class OutboxHttpClient
{
    /// <param name="userAgent">The User-Agent of every request.</param>
    /// <param name="pipeline">The resilience pipeline's name (its metrics' tag).</param>
    /// <param name="subject">What a failed attempt's log line names, e.g. "WebSub hub".</param>
    public static IHttpResiliencePipelineBuilder AddOutboxHttpClient<TClient, TOptions>(this IServiceCollection services, string userAgent, string pipeline, string subject)
        where TClient : class
        where TOptions : class, IOutboxHttpOptions
    {
        return services.AddHttpClient<TClient>(client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
                // The pipeline's timeouts rule; HttpClient's own must not cut them short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // HttpClient's own log writes each failed request with its stack trace; FailedAttemptLog writes one line instead.
            .RemoveAllLoggers()
            .AddResilienceHandler(pipeline, (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
                // Waits on the network are real time, whatever clock the app reads for embargoes (tests fake that one).
                builder.TimeProvider = TimeProvider.System;
                FailedAttemptLog.Configure(builder, context.ServiceProvider, context.ServiceProvider.GetRequiredService<ILogger<TClient>>(), subject, options.MaxRetries);
                builder.AddTimeout(options.TotalTimeout);
                // MaxRetries may be 0 (the outbox sends again later); Polly's retry needs at least one.
                if (options.MaxRetries > 0)
                {
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryDelay,
                        // 5xx, 408, 429 and network errors; Retry-After is honoured (hubs' and CDN APIs' rate limits).
                        ShouldRetryAfterHeader = true,
                    });
                }
                builder.AddTimeout(options.AttemptTimeout);
            });
    }
}
