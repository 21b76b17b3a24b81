using System.Net;

namespace NewsFeed.Dashboard;

/// <summary>
/// The dashboard's cookies (sign-in and antiforgery): <c>HttpOnly</c>, <c>SameSite=Strict</c>, and <c>Secure</c>
/// unless the request came to a loopback host (a newsroom's laptop on http://localhost): a TLS-terminating proxy
/// in front of NewsFeed forwards plain HTTP, so "secure when the request is HTTPS" would leave them insecure there.
/// </summary>
internal sealed class AdminCookieBuilder : CookieBuilder
{
    public AdminCookieBuilder(string name)
    {
        Name = name;
        HttpOnly = true;
        SameSite = SameSiteMode.Strict;
        Path = "/";
        IsEssential = true;
    }

    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        options.Secure = !IsLoopback(context.Request.Host.Host);
        return options;
    }

    internal static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
