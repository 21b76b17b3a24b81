using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NewsFeed.RateLimits;

namespace NewsFeed.Tests.RateLimits;

/// <summary>Politeness limits: the admin API's rate limiter and the optional limit on unconditional feed polls.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task AdminApi_OverTheLimit_Returns429WithRetryAfterProblem()
    {
        using var app = new NewsFeedApp { Settings = { ["RateLimits:AdminPermitLimit"] = "3", ["RateLimits:AdminWindow"] = "00:01:00" } };
        using var admin = app.CreateAdminClient();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await admin.GetAsync("/api/articles?limit=1");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var limited = await admin.GetAsync("/api/partners");

        await AssertTooManyRequests(limited, maxSeconds: 60);
    }

    [Fact]
    public async Task AdminApi_GuessedKeysCountTowardsTheLimit()
    {
        using var app = new NewsFeedApp { Settings = { ["RateLimits:AdminPermitLimit"] = "2" } };
        using var guesser = app.CreateClient();
        guesser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key-0123456789abcdef");

        using var first = await guesser.GetAsync("/api/articles");
        using var second = await guesser.GetAsync("/api/articles");
        using var third = await guesser.GetAsync("/api/articles");

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        await AssertTooManyRequests(third, maxSeconds: 60);
    }

    [Fact]
    public async Task Feeds_AdminLimitDoesNotApply()
    {
        using var app = new NewsFeedApp { Settings = { ["RateLimits:AdminPermitLimit"] = "1" } };
        using var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/feeds/latest.rss");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task FeedPolls_LimitOffByDefault_EveryUnconditionalPollIsServed()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();

        for (var i = 0; i < 50; i++)
        {
            using var response = await client.GetAsync("/feeds/latest.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task FeedPolls_OverTheLimit_Returns429WithoutTheFeedsValidators()
    {
        using var app = new NewsFeedApp { Settings = { ["RateLimits:FeedPollPermitLimit"] = "2", ["RateLimits:FeedPollWindow"] = "00:10:00" } };
        using var client = app.CreateClient();

        using var first = await client.GetAsync("/feeds/latest.rss");
        using var second = await client.GetAsync("/feeds/sections/world.atom");
        using var third = await client.GetAsync("/feeds/latest.rss");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await AssertTooManyRequests(third, maxSeconds: 600);
        Assert.Null(third.Headers.ETag);
        Assert.Null(third.Content.Headers.LastModified);
    }

    [Fact]
    public async Task FeedPolls_ConditionalAndHeadRequests_AreNeverLimited()
    {
        using var app = new NewsFeedApp { Settings = { ["RateLimits:FeedPollPermitLimit"] = "1" } };
        using var client = app.CreateClient();
        using var first = await client.GetAsync("/feeds/latest.rss");
        var etag = first.Headers.ETag!;

        for (var i = 0; i < 10; i++)
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
            conditional.Headers.IfNoneMatch.Add(etag);
            using var notModified = await client.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/feeds/latest.rss"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }
    }

    [Fact]
    public async Task FeedPolls_MadeUpIfNoneMatch_StillCountsAsAFullPoll()
    {
        using var app = new NewsFeedApp { Settings = { ["RateLimits:FeedPollPermitLimit"] = "1" } };
        using var client = app.CreateClient();
        using var first = await client.GetAsync("/feeds/latest.rss");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"made-up\"");
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertTooManyRequests(second, maxSeconds: 60);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    public void ClientKey_GroupsIPv6By64(string remote, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(expected, RateLimitsRegistration.ClientKey(context));
    }

    private static async Task AssertTooManyRequests(HttpResponseMessage response, int maxSeconds)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, maxSeconds);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(429, (int?)problem["status"]);
        Assert.Contains("try again in", (string?)problem["detail"], StringComparison.Ordinal);
    }
}
