using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace NewsFeed.Tests.Embed;

/// <summary>GET /embed/headlines: the iframe page, checked as bytes (the browser tests check it rendered).</summary>
public sealed partial class EmbedPageTests(NewsFeedApp app) : AppEndpointTests(app)
{
    [Fact]
    public async Task Get_Page_IsHtmlWithAStrictPolicyThatAnySiteMayFrame()
    {
        using var response = await Client.GetAsync("/embed/headlines?section=world");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors *", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Frame-Options"));

        // The one inline style is the one the policy allows by hash.
        var html = await response.Content.ReadAsStringAsync();
        var style = StyleElement().Match(html);
        Assert.True(style.Success);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style.Groups[1].Value)));
        Assert.Contains($"style-src 'sha256-{hash}'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Page_LoadsNothingAndOpensLinksOutsideTheFrame()
    {
        var html = await Client.GetStringAsync("/embed/headlines?limit=10");

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        var links = Anchor().Matches(html);
        Assert.Equal(11, links.Count);
        Assert.All(links, link => Assert.Contains("target=\"_blank\" rel=\"noopener\"", link.Value, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "<html lang=\"en\">")]
    [InlineData("?theme=auto", "<html lang=\"en\">")]
    [InlineData("?theme=light", "<html lang=\"en\" class=\"light\">")]
    [InlineData("?theme=dark", "<html lang=\"en\" class=\"dark\">")]
    public async Task Get_Theme_SetsTheRootClass(string query, string root)
    {
        var html = await Client.GetStringAsync("/embed/headlines" + query);

        Assert.Contains(root, html, StringComparison.Ordinal);
        Assert.Contains("prefers-color-scheme:dark", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("theme=blue", "theme")]
    [InlineData("theme=dark&theme=light", "theme")]
    [InlineData("limit=0", "limit")]
    [InlineData("section=Not%20A%20Slug", "section")]
    public async Task Get_BadQuery_Returns400NamingTheField(string query, string field)
    {
        using var response = await Client.GetAsync("/embed/headlines?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownSection_Returns404()
    {
        using var response = await Client.GetAsync("/embed/headlines?section=no-such-section");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_MatchingIfNoneMatch_Returns304AndEachThemeHasItsOwnETag()
    {
        using var light = await Client.GetAsync("/embed/headlines?theme=light");
        using var dark = await Client.GetAsync("/embed/headlines?theme=dark");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/embed/headlines?theme=light");
        request.Headers.IfNoneMatch.Add(light.Headers.ETag!);

        using var response = await Client.SendAsync(request);

        Assert.NotEqual(light.Headers.ETag, dark.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(light.Headers.ETag, response.Headers.ETag);
    }

    [Fact]
    public async Task Get_Page_MarksEachHeadlinesLanguage()
    {
        var html = await Client.GetStringAsync("/embed/headlines?section=world&limit=20");

        Assert.Contains("<li lang=\"he\"><a href=", html, StringComparison.Ordinal);
        Assert.Contains("dir=\"auto\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_HostileTitle_IsEncodedText()
    {
        using var app = new NewsFeedApp();
        await HostileArticle.PublishAsync(app);

        var html = await app.CreateClient().GetStringAsync("/embed/headlines?section=world");

        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    [GeneratedRegex("<a [^>]*>")]
    private static partial Regex Anchor();
}
