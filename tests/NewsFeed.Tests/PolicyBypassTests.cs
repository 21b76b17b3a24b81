using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace NewsFeed.Tests;

public sealed class PolicyBypassTests
{
    [Fact]
    public async Task FeedPoll_SkipsThePolicyMiddleware_WhileCorsAndAdminRequestsTakeThem()
    {
        var providers = new ProviderCount();
        using var app = new NewsFeedApp
        {
            // The authentication middleware resolves this from each request's services: a count of the requests it ran for.
            TestServices = services => services.AddScoped<IAuthenticationHandlerProvider>(provider =>
            {
                Interlocked.Increment(ref providers.Created);
                return new AuthenticationHandlerProvider(provider.GetRequiredService<IAuthenticationSchemeProvider>());
            }),
        };
        using var client = app.CreateClient();

        using var feed = await client.GetAsync("/feeds/latest.rss");
        var afterFeed = providers.Created;
        using var cors = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        cors.Headers.Add("Origin", "https://reader.example.org");
        using var corsResponse = await client.SendAsync(cors);
        var afterCors = providers.Created;
        using var admin = await client.GetAsync("/api/articles");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal(0, afterFeed);
        Assert.False(feed.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, corsResponse.StatusCode);
        Assert.Equal("*", Assert.Single(corsResponse.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal(1, afterCors);
        Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
        Assert.Equal(2, providers.Created);
    }

    private sealed class ProviderCount
    {
        public int Created;
    }
}
