using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace NewsFeed;

/// <summary>
/// Runs an endpoint straight after routing when the policy middleware behind this one (static files, CORS,
/// rate limiting, authentication, authorization) could do nothing to its request: the endpoint has a request
/// delegate (so static files pass it by), asks for no authorization and no rate limit, and the request has no
/// <c>Origin</c> (so CORS adds nothing). That is every feed poll, and each of those middleware cost a feed
/// poll something for nothing: CORS and authentication resolve services from a per-request DI scope made only
/// for them, authentication and authorization allocate a feature and a context item each (bench/README.md,
/// "Cached hot path"). Requests they can act on (CORS requests and preflights, admin calls) take the
/// whole pipeline as before.
/// </summary>
internal static class PolicyBypass
{
    public static IApplicationBuilder UsePolicyBypass(this WebApplication app)
    {
        var services = app.Services;
        return app.Use(next =>
        {
            // Only while the middleware have nothing to do for an endpoint that asks for nothing: no global rate
            // limiter, no fallback authorization policy, no default scheme that would authenticate every request.
            var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
            var actsOnEveryRequest = services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter is not null
                || services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy is not null
                || schemes.GetDefaultAuthenticateSchemeAsync().GetAwaiter().GetResult() is not null
                || schemes.GetRequestHandlerSchemesAsync().GetAwaiter().GetResult().Any();
            if (actsOnEveryRequest)
            {
                return next;
            }
            return context => context.GetEndpoint() is { RequestDelegate: { } endpoint } selected
                && NeedsNoPolicy(selected.Metadata)
                && !context.Request.Headers.ContainsKey(HeaderNames.Origin)
                    ? endpoint(context)
                    : next(context);
        });
    }

    private static bool NeedsNoPolicy(EndpointMetadataCollection metadata) =>
        metadata.GetMetadata<IAuthorizeData>() is null
        && metadata.GetMetadata<EnableRateLimitingAttribute>() is null;
}
