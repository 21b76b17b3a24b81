using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// <see cref="NewsFeed.Feeds.FeedFastLane"/>: once the endpoint has served a feed's plain address, later polls of it
/// are answered before routing with the very response the endpoint gives (status, every header, body) in every
/// format and coding, 304s included; anything the lane is not sure of goes the whole way. A startup filter outside
/// the app's pipeline records whether routing chose an endpoint for each request (the lane never does).
/// </summary>
public sealed class FeedFastLaneTests : IDisposable
{
    private readonly ConcurrentDictionary<string, bool> _routed = new();
    private readonly NewsFeedApp _app;
    private readonly HttpClient _client;

    public FeedFastLaneTests()
    {
        _app = new NewsFeedApp { TestServices = services => services.AddSingleton<IStartupFilter>(new RoutedRecorder(_routed)) };
        _client = _app.CreateClient(new() { AllowAutoRedirect = false });
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData("/feeds/latest.rss", "identity"), InlineData("/feeds/latest.rss", "gzip"), InlineData("/feeds/latest.rss", "br")]
    [InlineData("/feeds/sections/world.atom", "gzip"), InlineData("/feeds/latest.json", "br"), InlineData("/feeds/latest.json", "identity")]
    public async Task SecondPoll_IsTheLanes_AndTheSameResponseAsTheEndpoints(string learned, string coding)
    {
        // The endpoint answers a new spelling of the path (routing ignores case); the lane answers the one it learned.
        var other = learned.Replace("/feeds/", "/FEEDS/", StringComparison.Ordinal);
        using var first = await GetAsync(learned, coding);
        using var byEndpoint = await GetAsync(other, coding);
        using var byLane = await GetAsync(learned, coding);

        Assert.True(Routed(learned, 0) && Routed(other, 0), "the first requests went through routing");
        Assert.False(Routed(learned, 1), "the second poll was answered before routing");
        await AssertSameAsync(byEndpoint, byLane);

        // A conditional poll with the tag just given: a 304 from the lane, as from the endpoint.
        var etag = byLane.Headers.ETag!.Tag;
        var third = learned.Replace("/feeds/", "/Feeds/", StringComparison.Ordinal);
        using var notModifiedByEndpoint = await GetAsync(third, coding, etag);
        using var notModifiedByLane = await GetAsync(learned, coding, etag);
        Assert.True(Routed(third, 0));
        Assert.False(Routed(learned, 2));
        Assert.Equal(HttpStatusCode.NotModified, notModifiedByLane.StatusCode);
        await AssertSameAsync(notModifiedByEndpoint, notModifiedByLane);
    }

    [Fact]
    public async Task RequestsTheLaneIsNotSureOf_GoTheWholeWay()
    {
        using var learn = await GetAsync("/feeds/latest.rss", "gzip");
        Assert.Equal(HttpStatusCode.OK, learn.StatusCode);

        using var query = await GetAsync("/feeds/latest.rss?limit=5", "gzip");
        using var cors = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss") { Headers = { { "Origin", "https://reader.example.org" } } };
        using var corsResponse = await _client.SendAsync(cors);
        using var browser = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss") { Headers = { { "Sec-Fetch-Dest", "document" } } };
        using var browserResponse = await _client.SendAsync(browser);
        using var post = await _client.PostAsync("/feeds/latest.rss", null);

        Assert.True(Routed("/feeds/latest.rss?limit=5", 0));
        Assert.Equal("*", Assert.Single(corsResponse.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("text/html", browserResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(5, _routed.Keys.Count(key => key.StartsWith("/feeds/latest.rss", StringComparison.Ordinal) && _routed[key]));
    }

    [Fact]
    public async Task AWrite_SendsTheNextPollToTheEndpoint_WhichServesTheNewVersion()
    {
        using var before = await GetAsync("/feeds/latest.json", "identity");
        using var cached = await GetAsync("/feeds/latest.json", "identity");
        Assert.False(Routed("/feeds/latest.json", 1));

        var store = _app.Services.GetRequiredService<IArticleStore>();
        var story = Article("fast-lane-news", NewsFeedApp.Now.AddMinutes(-1));
        await store.UpsertAsync(story, CancellationToken.None);
        using var after = await GetAsync("/feeds/latest.json", "identity");

        Assert.True(Routed("/feeds/latest.json", 2), "the copy the lane knew was stale: the endpoint rendered the new version");
        Assert.Contains(story.Id.ToString(), await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        using var again = await GetAsync("/feeds/latest.json", "identity");
        Assert.False(Routed("/feeds/latest.json", 3));
        Assert.Equal(after.Headers.ETag, again.Headers.ETag);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string coding, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(coding));
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        var response = await _client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Whether the <paramref name="nth"/> request (from 0) to <paramref name="path"/> went through routing.</summary>
    private bool Routed(string path, int nth) => _routed.TryGetValue($"{path}#{nth}", out var routed) && routed;

    private static async Task AssertSameAsync(HttpResponseMessage expected, HttpResponseMessage actual)
    {
        Assert.Equal(expected.StatusCode, actual.StatusCode);
        Assert.Equal(Headers(expected), Headers(actual));
        Assert.Equal(await expected.Content.ReadAsByteArrayAsync(), await actual.Content.ReadAsByteArrayAsync());
    }

    private static string[] Headers(HttpResponseMessage response) =>
        [.. response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date").Select(h => $"{h.Key}: {string.Join(", ", h.Value)}").Order(StringComparer.Ordinal)];

    /// <summary>Wraps the app's whole pipeline: after each request, whether routing chose an endpoint for it.</summary>
    private sealed class RoutedRecorder(ConcurrentDictionary<string, bool> routed) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                var path = context.Request.Path + context.Request.QueryString;
                await inner(context);
                var nth = 0;
                while (!routed.TryAdd($"{path}#{nth}", context.GetEndpoint() is not null)) nth++;
            });
            next(app);
        };
    }
}
