using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;
using NewsFeed.Tests.Feeds;

namespace NewsFeed.Tests.Embed;

/// <summary>GET /api/headlines through the running app: shape, caching, CORS and strict queries.</summary>
public sealed class HeadlinesApiTests(NewsFeedApp app) : AppEndpointTests(app)
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(RepoPaths.Root, "docs", "headlines.schema.json"));

    [Theory]
    [InlineData("/api/headlines")]
    [InlineData("/api/headlines?section=world&limit=3")]
    [InlineData("/api/headlines?section=technology&limit=20")]
    public async Task Get_Headlines_MatchesTheDocumentedSchema(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var result = Schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public async Task Schema_RejectsAHeadlineWithoutATitleOrWithAnUnknownField()
    {
        var list = await GetJsonAsync("/api/headlines?limit=1");
        var headline = list["headlines"]![0]!.AsObject();

        headline.Remove("title");
        Assert.False(Schema.Evaluate(list).IsValid);
        headline["title"] = "A title";
        Assert.True(Schema.Evaluate(list).IsValid);
        headline["html"] = "<b>not in the schema</b>";
        Assert.False(Schema.Evaluate(list).IsValid);
    }

    [Fact]
    public async Task Get_Section_ListsItsNewestHeadlinesUnderThatSection()
    {
        var list = await GetJsonAsync("/api/headlines?section=world&limit=2");

        Assert.Equal("The Meridian Ledger: World", (string?)list["title"]);
        Assert.Equal("http://localhost/feeds/sections/world.rss", (string?)list["feed"]);
        Assert.Equal("world", (string?)list["section"]!["slug"]);
        var headlines = list["headlines"]!.AsArray();
        Assert.Equal(2, headlines.Count);
        Assert.All(headlines, h => Assert.Equal("world", (string?)h!["section"]!["slug"]));
        Assert.All(headlines, h => Assert.Equal("publisher", (string?)h!["source"]!["type"]));
        Assert.All(headlines, h => Assert.Equal("https://news.example.com/", (string?)h!["source"]!["url"]));
        var published = headlines.Select(h => DateTimeOffset.Parse((string)h!["published"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(published.OrderByDescending(p => p), published);
    }

    [Fact]
    public async Task Get_NoQuery_ListsTheLatestFiveOfTheWholeSite()
    {
        var list = await GetJsonAsync("/api/headlines");

        Assert.Null(list["section"]);
        Assert.Equal("The Meridian Ledger", (string?)list["title"]);
        Assert.Equal(5, list["headlines"]!.AsArray().Count);
        var latest = FeedAssert.WellFormedXml(await Client.GetByteArrayAsync("/feeds/latest.rss"));
        var feedTitles = latest.Descendants("item").Take(5).Select(i => i.Element("title")!.Value);
        Assert.Equal(feedTitles, list["headlines"]!.AsArray().Select(h => (string?)h!["title"]));
    }

    [Fact]
    public async Task Get_WithOrigin_AllowsAnyOriginAndExposesTheETag()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/headlines?section=world");
        request.Headers.Add("Origin", "https://partner.example");

        using var response = await Client.SendAsync(request);

        Assert.Equal("*", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("ETag", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_ConditionalRequest_IsAllowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/headlines");
        request.Headers.Add("Origin", "https://partner.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "if-none-match");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("if-none-match", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_HasStrongETagCacheControlAndVary()
    {
        using var response = await Client.GetAsync("/api/headlines?limit=3");

        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl.MaxAge);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Get_MatchingIfNoneMatch_Returns304WithTheETag()
    {
        using var first = await Client.GetAsync("/api/headlines?section=technology");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/headlines?section=technology");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
        Assert.Equal(first.Headers.CacheControl, response.Headers.CacheControl);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_Gzip_IsTheSameJson()
    {
        using var plain = await Client.GetAsync("/api/headlines?limit=10");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/headlines?limit=10");
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await Client.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.NotEqual(plain.Headers.ETag, response.Headers.ETag);
        using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await reader.ReadToEndAsync());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=21", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=+3", "limit")]
    [InlineData("limit=2&limit=3", "limit")]
    [InlineData("section=", "section")]
    [InlineData("section=World", "section")]
    [InlineData("section=world&section=business", "section")]
    [InlineData("section=%3Cscript%3E", "section")]
    public async Task Get_BadQuery_Returns400ProblemNamingTheField(string query, string field)
    {
        using var response = await Client.GetAsync("/api/headlines?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Get_UnknownSection_Returns404Problem()
    {
        using var response = await Client.GetAsync("/api/headlines?section=no-such-section");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-such-section", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_AnswersTheSameHeadersWithoutABody()
    {
        using var get = await Client.GetAsync("/api/headlines?section=world");
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/headlines?section=world"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_AfterAPublish_ShowsItAndChangesTheETag()
    {
        using var app = new NewsFeedApp();
        var client = app.CreateClient();
        using var before = await client.GetAsync("/api/headlines?section=world");

        await HostileArticle.PublishAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/headlines?section=world");
        request.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        using var after = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        var body = await after.Content.ReadAsStringAsync();
        // The markup arrives as text, escaped so that the JSON stays inert even inlined into HTML.
        Assert.DoesNotContain("<img", body, StringComparison.Ordinal);
        Assert.Equal(HostileArticle.Title, (string?)JsonNode.Parse(body)!["headlines"]![0]!["title"]);
    }

    [Fact]
    public async Task Get_AfterAnEmbargoLifts_ShowsTheStoryWithoutAnyWrite()
    {
        using var app = new NewsFeedApp();
        var client = app.CreateClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        var lift = await store.GetNextEmbargoLiftAsync(NewsFeedApp.Now, CancellationToken.None);
        Assert.NotNull(lift);
        var before = await GetJsonAsync(client, "/api/headlines?limit=20");

        app.Time.SetUtcNow(lift.Value.AddSeconds(1));
        var after = await GetJsonAsync(client, "/api/headlines?limit=20");

        Assert.Equal(before["headlines"]!.AsArray().Count + 1, after["headlines"]!.AsArray().Count);
    }

    private Task<JsonNode> GetJsonAsync(string path) => GetJsonAsync(Client, path);

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(), documentOptions: new JsonDocumentOptions())!;
    }
}
