using Microsoft.AspNetCore.Authentication;
using NewsFeed.RateLimits;

namespace NewsFeed.Admin;

/// <summary>
/// What every admin endpoint (articles, partners) shares: API-key authentication, the admin route group and
/// its policy, and the OpenAPI document that describes them.
/// </summary>
internal static class AdminRegistration
{
    /// <summary>The authentication scheme and authorization policy of every admin endpoint.</summary>
    public const string AuthScheme = "ApiKey";
    public const string AdminPolicy = "admin";

    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyRing>();
        // No default scheme: only the admin policy runs the API-key handler, so a feed reader's stray
        // Authorization header costs nothing and logs nothing. Since ASP.NET Core 7 a lone scheme is made
        // the default unless this switch says otherwise, and the authentication middleware then ran the
        // handler, resolved from each request's services, on every feed request (bench/README.md).
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthScheme, configureOptions: null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(AuthScheme).RequireAuthenticatedUser());
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<AdminApiDocument>());
        return builder;
    }

    /// <summary>The OpenAPI document of the admin API, at <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        return app;
    }

    /// <summary>An admin API route group: API key required, rate limited per client, never cached by shared caches.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireAuthorization(AdminPolicy).RequireRateLimiting(RateLimitsRegistration.AdminPolicy).AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });
}
