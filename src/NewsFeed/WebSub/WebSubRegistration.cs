using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NewsFeed.Outbox;
using NewsFeed.Feeds;
using Polly;

namespace NewsFeed.WebSub;

/// <summary>
/// WebSub publishing (W3C WebSub §7): the hubs every feed advertises, and the pings that tell them of each
/// change the stores wrote to the outbox: article writes, embargo lifts and partner feed changes.
/// </summary>
internal static class WebSubRegistration
{
    public static WebApplicationBuilder AddWebSub(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebSubOptions>().BindConfiguration(WebSubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Feeds advertise the hubs; which hubs there are is this feature's setting.
        builder.Services.AddSingleton(services => new FeedHubs(services.GetRequiredService<IOptions<WebSubOptions>>().Value.Hubs));
        builder.Services.AddSingleton<WebSubTopics>();
        builder.Services.AddSingleton<WebSubMetrics>();
        // The hubs are outbox recipients: the stores write one message per hub and changed feed in each write.
        builder.Services.AddOutboxSender<WebSubSender>();
        builder.Services.AddHttpClient<WebSubClient>(client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd("NewsFeed-WebSub/1.0");
                // The pipeline's timeouts rule; HttpClient's own must not cut them short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // HttpClient's own log writes each failed request with its stack trace; FailedAttemptLog writes one line instead.
            .RemoveAllLoggers()
            .AddResilienceHandler("websub", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WebSubOptions>>().Value;
                // Waits on the network are real time, whatever clock the app reads for embargoes (tests fake that one).
                pipeline.TimeProvider = TimeProvider.System;
                // One warning line per failed attempt (hub, attempt, reason), instead of Polly's stack traces.
                FailedAttemptLog.Configure(pipeline, context.ServiceProvider, context.ServiceProvider.GetRequiredService<ILogger<WebSubClient>>(), "WebSub hub", options.MaxRetries);
                pipeline.AddTimeout(options.TotalTimeout);
                // WebSub:MaxRetries may be 0 (the outbox sends again later); Polly's retry needs at least one.
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryDelay,
                        // 5xx, 408, 429 and network errors; Retry-After is honoured.
                        ShouldRetryAfterHeader = true,
                    });
                }
                pipeline.AddTimeout(options.AttemptTimeout);
            });
        return builder;
    }
}
