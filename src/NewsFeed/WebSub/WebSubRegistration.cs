using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NewsFeed.Storage;
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
        // The hubs are the outbox's recipients: the stores write one message per hub and changed feed in each write.
        builder.Services.AddSingleton(services => new OutboxRecipients(services.GetRequiredService<IOptions<WebSubOptions>>().Value.Hubs.Distinct(StringComparer.Ordinal).ToList()));
        builder.Services.AddHostedService<WebSubDispatcher>();
        builder.Services.AddHttpClient<WebSubClient>(client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd("NewsFeed-WebSub/1.0");
                // The pipeline's timeouts rule; HttpClient's own must not cut them short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("websub", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WebSubOptions>>().Value;
                // Waits on the network are real time, whatever clock the app reads for embargoes (tests fake that one).
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(options.TotalTimeout);
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryDelay,
                    // 5xx, 408, 429 and network errors; Retry-After is honoured.
                    ShouldRetryAfterHeader = true,
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            });
        return builder;
    }
}
