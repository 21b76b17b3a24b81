using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NewsFeed.Feeds;
using NewsFeed.Outbox;
using NewsFeed.Partners;
using Polly;

namespace NewsFeed.Edge;

/// <summary>
/// Edge caching (docs/edge.md): the tags every cacheable response carries, the edge lifetime, and the purges
/// of exactly what each committed write changed, through the transactional outbox WebSub uses.
/// </summary>
internal static class EdgeRegistration
{
    public static WebApplicationBuilder AddEdge(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Feeds and headlines are tagged as the settings say (Feeds registers "off" for when this feature is absent).
        builder.Services.Replace(ServiceDescriptor.Singleton(services =>
        {
            var options = services.GetRequiredService<IOptions<EdgeOptions>>().Value;
            return new EdgeTagging(options.EffectiveTagHeaders(), options.KeyPrefix, options.MaxAge,
                services.GetRequiredService<IOptions<PartnerOptions>>().Value.IncludeInSections);
        }));
        builder.Services.AddSingleton<EdgeMetrics>();
        // Each purger is an outbox recipient: the stores write one message per purger and changed key in each write.
        builder.Services.AddOutboxSender<EdgePurgeSender>();
        builder.Services.AddHttpClient<EdgePurgeClient>(client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd("NewsFeed-Edge/1.0");
                // The pipeline's timeouts rule; HttpClient's own must not cut them short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // HttpClient's own log writes each failed request with its stack trace; FailedAttemptLog writes one line instead.
            .RemoveAllLoggers()
            .AddResilienceHandler("edge", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<EdgeOptions>>().Value;
                pipeline.TimeProvider = TimeProvider.System;
                FailedAttemptLog.Configure(pipeline, context.ServiceProvider, context.ServiceProvider.GetRequiredService<ILogger<EdgePurgeClient>>(), "Edge purger", options.MaxRetries);
                pipeline.AddTimeout(options.TotalTimeout);
                // Edge:MaxRetries may be 0 (the outbox sends again later); Polly's retry needs at least one.
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryDelay,
                        // 5xx, 408, 429 and network errors; a 429's Retry-After is waited for (rate limits of Fastly and Cloudflare).
                        ShouldRetryAfterHeader = true,
                    });
                }
                pipeline.AddTimeout(options.AttemptTimeout);
            });
        return builder;
    }
}
