using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using NewsFeed.Admin;
using NewsFeed.Partners;
using NewsFeed.RateLimits;

namespace NewsFeed.Dashboard;

/// <summary>
/// The newsroom dashboard (<c>/admin</c>): signed in with an admin API key through a form, which sets a short-lived
/// cookie (ASP.NET Core cookie authentication); every form that changes something (sign in, poll now, sign out)
/// carries an antiforgery token that <c>UseAntiforgery</c> checks. Pages are rendered on the server, with no script.
/// </summary>
internal static class DashboardRegistration
{
    public const string CookieScheme = "AdminCookie";
    public const string Policy = "dashboard";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication().AddCookie(CookieScheme, _ => { });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<DashboardOptions>>((cookie, dashboard) =>
        {
            cookie.Cookie = new AdminCookieBuilder("newsfeed-admin");
            cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.LoginPath = "/admin/sign-in";
            cookie.LogoutPath = "/admin/sign-out";
            cookie.AccessDeniedPath = "/admin/sign-in";
        });
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie = new AdminCookieBuilder("newsfeed-antiforgery");
            antiforgery.FormFieldName = "__antiforgery";
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser());
        builder.Services.AddSingleton<DashboardData>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/admin").ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
        {
            DashboardHtml.SecureHeaders(context.HttpContext.Response);
            return await next(context);
        });
        pages.MapGet("/sign-in", (HttpContext context) => DashboardHtml.Page(SignInPage.Render(context, null)));
        pages.MapPost("/sign-in", async (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string? key, ApiKeyRing keys) =>
        {
            if (keys.Find((key ?? "").AsSpan().Trim()) is not { } keyName)
            {
                return DashboardHtml.Page(SignInPage.Render(context, "That key is not one of the admin API keys."), StatusCodes.Status401Unauthorized);
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, keyName), new Claim(ClaimTypes.Name, keyName)], CookieScheme);
            await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
            return Results.Redirect("/admin", permanent: false, preserveMethod: false);
        }).RequireRateLimiting(RateLimitsRegistration.AdminPolicy);

        var signedIn = pages.MapGroup("").RequireAuthorization(Policy);
        signedIn.MapGet("/", async (HttpContext context, DashboardData data, string? polled, string? outcome, CancellationToken cancellationToken) =>
            DashboardHtml.Page(DashboardPage.Render(context, await data.ReadAsync(cancellationToken), polled, outcome)));
        signedIn.MapPost("/partners/{id}/poll", async (string id, IFormCollection form, PartnerPoller poller, CancellationToken cancellationToken) =>
        {
            var result = await poller.PollAsync(id, cancellationToken);
            return Results.Redirect($"/admin?polled={Uri.EscapeDataString(id)}&outcome={result.Outcome}#partners");
        }).RequireRateLimiting(RateLimitsRegistration.AdminPolicy);
        signedIn.MapPost("/sign-out", async (HttpContext context, IFormCollection form) =>
        {
            await context.SignOutAsync(CookieScheme);
            return Results.Redirect("/admin/sign-in");
        });
        return app;
    }
}
