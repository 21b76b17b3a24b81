using Microsoft.AspNetCore.Authentication;

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
        builder.Services.AddAuthentication(AuthScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthScheme, configureOptions: null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(AuthScheme).RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>The admin API's route group: API key required, never cached by shared caches.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireAuthorization(AdminPolicy).AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });
}
