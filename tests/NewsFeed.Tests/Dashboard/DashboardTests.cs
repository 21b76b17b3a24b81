using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace NewsFeed.Tests.Dashboard;

/// <summary>/admin over HTTP: sign-in by form with the admin key, the cookie's attributes, antiforgery on every form that changes something, the CSP.</summary>
public sealed partial class DashboardTests : IDisposable
{
    private readonly NewsFeedApp _app = new() { Settings = { ["Partners:PollingEnabled"] = "false" } };

    [GeneratedRegex("name=\"__antiforgery\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [Fact]
    public async Task Admin_SignedOut_RedirectsToTheSignInForm()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/admin/sign-in", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInForm_HasAStrictCspAndAnAntiforgeryToken()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/admin/sign-in");
        var html = await response.Content.ReadAsStringAsync();

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script", csp, StringComparison.Ordinal);
        Assert.Matches(AntiforgeryField(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_400()
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/admin/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = NewsFeedApp.ApiKey }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongKey_401AndNoCookie()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await SignInAsync(client, "not-the-key-0123456789abcdef");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], cookie => cookie.StartsWith("newsfeed-admin=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("localhost", false)]
    [InlineData("news.example.com", true)]
    public async Task SignIn_RightKey_SetsAShortLivedHttpOnlyStrictCookie_SecureOutsideLocalhost(string host, bool secure)
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri($"{(secure ? "https" : "http")}://{host}/") });

        using var response = await SignInAsync(client, NewsFeedApp.ApiKey);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith("newsfeed-admin=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Equal(secure, cookie.Contains("secure;", StringComparison.Ordinal) || cookie.EndsWith("secure", StringComparison.Ordinal));
        Assert.DoesNotContain("expires=", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedIn_DashboardShowsEverySection_AndPollNowNeedsAToken()
    {
        using var client = _app.CreateClient();
        using var signedIn = await SignInAsync(client, NewsFeedApp.ApiKey);
        var html = await signedIn.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        foreach (var section in new[] { "id=\"circulation\"", "id=\"readers\"", "id=\"partners\"", "id=\"websub-pending\"", "id=\"websub-failing\"", "id=\"cache-hit-ratio\"" })
        {
            Assert.Contains(section, html, StringComparison.Ordinal);
        }
        using var forged = await client.PostAsync("/admin/partners/metro/poll", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var signOutForged = await client.PostAsync("/admin/sign-out", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, signOutForged.StatusCode);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key)
    {
        var form = await client.GetStringAsync("/admin/sign-in");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        return await client.PostAsync("/admin/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["__antiforgery"] = token }));
    }

    public void Dispose() => _app.Dispose();
}
