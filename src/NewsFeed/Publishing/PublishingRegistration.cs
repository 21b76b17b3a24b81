using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NewsFeed.Feeds;
using NewsFeed.RateLimits;
using Polly;

namespace NewsFeed.Publishing;

public static class PublishingRegistration
{
    /// <summary>The authentication scheme and authorization policy of every admin endpoint (articles, partners).</summary>
    public const string AuthScheme = "ApiKey";
    public const string AdminPolicy = "admin";

    public static WebApplicationBuilder AddPublishing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublishingOptions>().BindConfiguration(PublishingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyRing>();
        // No default scheme: only the admin policy runs the API-key handler, so a feed reader's stray
        // Authorization header costs nothing and logs nothing. Since ASP.NET Core 7 a lone scheme is made
        // the default unless this switch says otherwise, and the authentication middleware then ran the
        // handler, resolved from each request's services, on every feed request (a profile of the cached
        // feed path showed it as the largest cost of our own; see bench/README.md).
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthScheme, configureOptions: null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(AuthScheme).RequireAuthenticatedUser());

        // Articles go out in the same JSON shape they come in (and that feeds/articles holds): string enums, camelCase.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, PublishingJson.Default));
        builder.Services.AddSingleton<PublishingMetrics>();
        builder.Services.AddSingleton<ArticlePublisher>();
        builder.Services.AddSingleton<WebSubNotifier>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebSubNotifier>());
        builder.Services.AddHostedService<PartnerFeedPings>();
        builder.Services.AddSingleton<EmbargoLiftNotifier>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmbargoLiftNotifier>());
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
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<AdminApiDocument>());
        return builder;
    }

    /// <summary>The admin API's route group: API key required, rate limited per client, never cached by shared caches.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireAuthorization(AdminPolicy).RequireRateLimiting(RateLimitsRegistration.AdminPolicy).AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });
}
