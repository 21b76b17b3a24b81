using System.Net;

namespace NewsFeed.Tests.Embed;

/// <summary>GET /embed/headlines.js as bytes; what it does in a page is in Browser/EmbedBrowserTests.</summary>
public sealed class HeadlinesWidgetTests(NewsFeedApp app) : AppEndpointTests(app)
{
    [Fact]
    public async Task Get_Script_IsJavaScriptWithAnETagAnd304()
    {
        using var response = await Client.GetAsync("/embed/headlines.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/embed/headlines.js");
        request.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.CacheControl?.MaxAge);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Script_IsAStrictIifeThatNeverWritesMarkup()
    {
        var script = await Client.GetStringAsync("/embed/headlines.js");

        Assert.Matches(@"^(/\*[\s\S]*?\*/\s*)?\(function \(\) \{\s*'use strict';", script);
        Assert.EndsWith("})();\n", script, StringComparison.Ordinal);
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }
        Assert.Contains("document.currentScript", script, StringComparison.Ordinal);
        Assert.Contains("attachShadow", script, StringComparison.Ordinal);
    }
}
