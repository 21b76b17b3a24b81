using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NewsFeed.Admin;
using NewsFeed.Articles;
using NewsFeed.Tests.Feeds;

namespace NewsFeed.Tests.Publishing;

/// <summary>The admin API over HTTP: each write is visible in every feed of the article on the very next GET.</summary>
public sealed class ArticlesApiTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>Every feed the test article is in, in every format.</summary>
    private static readonly string[] ArticleFeeds =
        [.. new[] { "latest", "sections/science", "authors/ada-quill", "tags/space-weather" }
            .SelectMany(feed => new[] { "rss", "atom", "json" }.Select(format => $"/feeds/{feed}.{format}"))];

    internal static JsonObject NewArticle(Guid? id = null, string title = "Solar storm lights up northern skies") => new()
    {
        ["id"] = (id ?? Guid.NewGuid()).ToString(),
        ["slug"] = "solar-storm-northern-skies",
        ["url"] = "https://news.example.com/science/2026/11/24/solar-storm-northern-skies",
        ["title"] = title,
        ["summary"] = "A strong geomagnetic storm made the aurora visible far south of its usual range.",
        ["body"] = "<p>Observers reported green and red curtains of light overnight.</p>",
        ["authors"] = new JsonArray(new JsonObject { ["name"] = "Ada Quill", ["slug"] = "ada-quill" }),
        ["sections"] = new JsonArray(new JsonObject { ["slug"] = "science", ["name"] = "Science" }),
        ["tags"] = new JsonArray(new JsonObject { ["slug"] = "space-weather", ["name"] = "Space weather" }),
        ["published"] = "2026-11-24T11:30:00Z",
    };

    [Fact]
    public async Task Post_ThenNextGetOfEveryFeedOfTheArticle_ContainsIt()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        // Warm the caches first: the publish must invalidate them, not merely find them empty.
        foreach (var url in ArticleFeeds.Where(u => u.StartsWith("/feeds/latest", StringComparison.Ordinal))) await admin.GetStringAsync(url);
        var article = NewArticle();

        using var created = await admin.PostAsJsonAsync("/api/articles", article);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/articles/{article["id"]}", created.Headers.Location?.OriginalString);
        foreach (var url in ArticleFeeds)
        {
            Assert.Contains("Solar storm lights up northern skies", await admin.GetStringAsync(url), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Put_Correction_ChangesTitleEverywhere_KeepsGuid_MovesUpdated()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();
        (await admin.PutAsJsonAsync($"/api/articles/{id}", NewArticle(id))).EnsureSuccessStatusCode();
        var rssBefore = XDocument.Parse(await admin.GetStringAsync("/feeds/latest.rss"));
        var atomBefore = XDocument.Parse(await admin.GetStringAsync("/feeds/latest.atom"));
        var jsonBefore = JsonNode.Parse(await admin.GetStringAsync("/feeds/latest.json"))!;
        app.Time.Advance(TimeSpan.FromMinutes(10));

        using var corrected = await admin.PutAsJsonAsync($"/api/articles/{id}", NewArticle(id, "Solar storm lights up skies as far south as Madrid"));

        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        foreach (var url in ArticleFeeds)
        {
            var feed = await admin.GetStringAsync(url);
            Assert.Contains("as far south as Madrid", feed, StringComparison.Ordinal);
            Assert.DoesNotContain("lights up northern skies", feed, StringComparison.Ordinal);
        }
        var urn = $"urn:uuid:{id}";
        var rssAfter = XDocument.Parse(await admin.GetStringAsync("/feeds/latest.rss"));
        Assert.Equal(RssItem(rssBefore, urn).Element("guid")!.Value, RssItem(rssAfter, urn).Element("guid")!.Value);
        var atomAfter = XDocument.Parse(await admin.GetStringAsync("/feeds/latest.atom"));
        Assert.Equal("2026-11-24T12:10:00Z", AtomEntry(atomAfter, urn).Element(Atom + "updated")!.Value);
        Assert.NotEqual(AtomEntry(atomBefore, urn).Element(Atom + "updated")!.Value, AtomEntry(atomAfter, urn).Element(Atom + "updated")!.Value);
        Assert.Equal(AtomEntry(atomBefore, urn).Element(Atom + "published")!.Value, AtomEntry(atomAfter, urn).Element(Atom + "published")!.Value);
        var jsonAfter = JsonNode.Parse(await admin.GetStringAsync("/feeds/latest.json"))!;
        Assert.NotEqual((string?)JsonItem(jsonBefore, urn)["date_modified"], (string?)JsonItem(jsonAfter, urn)["date_modified"]);
        Assert.Equal("2026-11-24T12:10:00Z", (string?)JsonItem(jsonAfter, urn)["date_modified"]);
    }

    [Fact]
    public async Task Put_SameDocumentTwice_SecondChangesNothing()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();
        using var first = await admin.PutAsJsonAsync($"/api/articles/{id}", NewArticle(id));
        using var feedBefore = await admin.GetAsync("/feeds/latest.atom");
        var revision = await app.Services.GetRequiredService<IArticleStore>().VersionOfAsync(null, CancellationToken.None);
        app.Time.Advance(TimeSpan.FromMinutes(5));

        using var second = await admin.PutAsJsonAsync($"/api/articles/{id}", NewArticle(id));
        using var feedAfter = await admin.GetAsync("/feeds/latest.atom");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(revision, await app.Services.GetRequiredService<IArticleStore>().VersionOfAsync(null, CancellationToken.None));
        Assert.Equal(feedBefore.Headers.ETag, feedAfter.Headers.ETag);
    }

    [Fact]
    public async Task Delete_RemovesTheArticleFromEveryFeed_AndKeepsItsRecord()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var article = NewArticle();
        (await admin.PostAsJsonAsync("/api/articles", article)).EnsureSuccessStatusCode();
        foreach (var url in ArticleFeeds) await admin.GetStringAsync(url);

        using var deleted = await admin.DeleteAsync($"/api/articles/{article["id"]}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        foreach (var url in ArticleFeeds)
        {
            using var response = await admin.GetAsync(url);
            // The feeds stay (their terms were public) and no longer carry the article.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(article["id"]!.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var stored = await admin.GetFromJsonAsync<JsonObject>($"/api/articles/{article["id"]}");
        Assert.Equal("retracted", (string?)stored!["status"]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/articles/{article["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/articles/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Embargo_KeepsArticleOutOfEveryFeed_UntilTheClockPassesIt()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var article = NewArticle();
        article["embargoUntil"] = "2026-11-24T12:30:00Z";
        (await admin.PostAsJsonAsync("/api/articles", article)).EnsureSuccessStatusCode();

        foreach (var url in ArticleFeeds.Where(u => u.StartsWith("/feeds/latest", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("Solar storm", await admin.GetStringAsync(url), StringComparison.Ordinal);
        }
        // A term seen only on an embargoed article is not a feed yet.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/feeds/tags/space-weather.rss")).StatusCode);

        app.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.DoesNotContain("Solar storm", await admin.GetStringAsync("/feeds/latest.json"), StringComparison.Ordinal);
        app.Time.Advance(TimeSpan.FromMinutes(1));

        foreach (var url in ArticleFeeds)
        {
            Assert.Contains("Solar storm", await admin.GetStringAsync(url), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Draft_NeverAppears_UntilPublished()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();
        var draft = NewArticle(id);
        draft["status"] = "draft";
        (await admin.PutAsJsonAsync($"/api/articles/{id}", draft)).EnsureSuccessStatusCode();
        app.Time.Advance(TimeSpan.FromDays(30));

        Assert.DoesNotContain("Solar storm", await admin.GetStringAsync("/feeds/latest.rss"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/feeds/sections/science.atom")).StatusCode);

        draft["status"] = "published";
        (await admin.PutAsJsonAsync($"/api/articles/{id}", draft)).EnsureSuccessStatusCode();
        Assert.Contains("Solar storm", await admin.GetStringAsync("/feeds/sections/science.atom"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-0123456789abcdef0123456789")]
    [InlineData("Bearer ")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("test-key-0123456789abcdef0123456789")]
    [InlineData("Bearer test-key-0123456789abcdef012345678")]
    public async Task AdminApi_WithoutAValidKey_Is401ProblemAndWritesNothing(string? authorization)
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        var count = await app.Services.GetRequiredService<IArticleStore>().CountAsync(CancellationToken.None);
        var article = NewArticle();

        foreach (var request in new Func<HttpRequestMessage>[]
        {
            () => new(HttpMethod.Get, "/api/articles"),
            () => new(HttpMethod.Post, "/api/articles") { Content = JsonContent.Create(article) },
            () => new(HttpMethod.Put, $"/api/articles/{article["id"]}") { Content = JsonContent.Create(article) },
            () => new(HttpMethod.Delete, $"/api/articles/{Guid.NewGuid()}"),
        })
        {
            using var message = request();
            if (authorization is not null) message.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.SendAsync(message);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(count, await app.Services.GetRequiredService<IArticleStore>().CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task FeedRequestWithAStrayAuthorizationHeader_NeverRunsTheApiKeyHandler()
    {
        var logs = new FakeLogCollector();
        using var app = new NewsFeedApp { TestServices = services => services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs))) };
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer not-one-of-our-keys-at-all-0123456789");

        using var feed = await client.GetAsync("/feeds/latest.rss");
        using var admin = await client.GetAsync("/api/articles");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
        // The handler logs each key it refuses: once, for the admin call, and not for the feed.
        Assert.Single(logs.GetSnapshot(), record => record.Category == typeof(ApiKeyAuthenticationHandler).FullName && record.Message.Contains("not authenticated", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> InvalidArticles() => new()
    {
        { """{"slug":"a-story","url":"https://news.example.com/a"}""", "title" },
        { """{"title":"  ","slug":"a-story","url":"https://news.example.com/a"}""", "title" },
        { """{"title":"T","slug":"a-story","url":"javascript:alert(1)"}""", "url" },
        { """{"title":"T","slug":"a-story","url":"/relative/path"}""", "url" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","published":"yesterday"}""", "published" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","published":"2026-13-45T00:00:00Z"}""", "published" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","published":"2026-11-24T10:00:00Z","updated":"2026-11-01T00:00:00Z"}""", "updated" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","embargoUntil":12}""", "embargoUntil" },
        { """{"title":"T","slug":"Not A Slug","url":"https://news.example.com/a"}""", "slug" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","status":"live"}""", "status" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","sections":[{"slug":"../etc","name":"X"}]}""", "sections[0].slug" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","authors":[{"slug":"x"}]}""", "authors[0].name" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","image":{"url":"ftp://x/y.jpg"}}""", "image.url" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a","titel":"typo"}""", "titel" },
        { """{"title":"T","slug":"a-story","url":"https://news.example.com/a",""", "$" },
        { "[1,2,3]", "$" },
    };

    [Theory]
    [MemberData(nameof(InvalidArticles))]
    public async Task Post_InvalidArticle_Is400ProblemNamingTheField_AndStoresNothing(string json, string field)
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        var count = await store.CountAsync(CancellationToken.None);

        using var response = await admin.PostAsync("/api/articles", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)problem["status"]!);
        Assert.True(problem["errors"]![field] is JsonArray { Count: > 0 }, $"no error for '{field}' in {problem.ToJsonString()}");
        Assert.Equal(count, await store.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Post_OversizeFields_Are400NamingEachField()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var article = NewArticle();
        article["title"] = new string('t', ArticleRules.MaxTitleLength + 1);
        article["summary"] = new string('s', ArticleRules.MaxSummaryLength + 1);
        article["body"] = "<p>" + new string('b', ArticleRules.MaxBodyLength) + "</p>";

        using var response = await admin.PostAsJsonAsync("/api/articles", article);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("title") && errors.ContainsKey("summary") && errors.ContainsKey("body"), errors.ToJsonString());
    }

    [Fact]
    public async Task Post_RequestOverTheSizeLimit_Is413_AndWrongMediaTypeIs415()
    {
        using var app = new NewsFeedApp { Settings = { ["Publishing:MaxRequestBytes"] = "100000" } };
        using var admin = app.CreateAdminClient();
        var article = NewArticle();
        article["body"] = new string('b', 200_000);

        using var tooLarge = await admin.PostAsJsonAsync("/api/articles", article);
        // No Content-Length up front: the cap holds while reading, too.
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(article.ToJsonString())));
        chunked.Headers.ContentType = new("application/json");
        using var streamed = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/articles") { Content = chunked, Headers = { TransferEncodingChunked = true } });
        using var form = await admin.PostAsync("/api/articles", new StringContent("title=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal("application/problem+json", form.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Post_ExistingId_Is409_AndPutWithOtherIdInBody_Is400()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var article = NewArticle();
        (await admin.PostAsJsonAsync("/api/articles", article)).EnsureSuccessStatusCode();

        using var again = await admin.PostAsJsonAsync("/api/articles", article);
        using var mismatch = await admin.PutAsJsonAsync($"/api/articles/{Guid.NewGuid()}", article);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("\"id\"", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BodyWithScriptsAndHandlers_NeverReachesAFeed()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var article = NewArticle();
        article["body"] = """
            <p onclick="steal()">Lede <img src="/aurora.jpg" onerror="alert(1)"></p>
            <script>alert('x')</script><a href="javascript:alert(2)">link</a><a href="JaVaScRiPt&#58;alert(3)">two</a>
            <iframe src="https://evil.example/"></iframe><p style="background:url(javascript:alert(4))">styled</p>
            """;

        using var created = await admin.PostAsJsonAsync("/api/articles", article);
        created.EnsureSuccessStatusCode();

        var stored = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["body"]!;
        Assert.Contains("https://news.example.com/aurora.jpg", stored, StringComparison.Ordinal);
        foreach (var url in ArticleFeeds)
        {
            var feed = await admin.GetStringAsync(url);
            // Decode the feed's own escaping so what a reader would render is what is checked.
            var rendered = WebUtility.HtmlDecode(WebUtility.HtmlDecode(url.EndsWith(".json", StringComparison.Ordinal) ? JsonNode.Parse(feed)!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) : feed));
            foreach (var bad in new[] { "<script", "onerror", "onclick", "javascript:", "<iframe", "steal()" })
            {
                Assert.DoesNotContain(bad, rendered, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task List_PagesThroughEveryStatus()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();

        var first = (await admin.GetFromJsonAsync<JsonObject>("/api/articles?limit=10"))!;
        var second = (await admin.GetFromJsonAsync<JsonObject>((string)first["next"]!))!;
        var drafts = (await admin.GetFromJsonAsync<JsonObject>("/api/articles?status=draft"))!;
        using var bad = await admin.GetAsync("/api/articles?limit=0&status=live");

        Assert.Equal(10, first["articles"]!.AsArray().Count);
        Assert.Equal(6, second["articles"]!.AsArray().Count);
        Assert.Null(second["next"]);
        Assert.All(drafts["articles"]!.AsArray(), a => Assert.Equal("draft", (string?)a!["status"]));
        Assert.Single(drafts["articles"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("limit") && errors.ContainsKey("status"));
        Assert.Equal("no-store", (await admin.GetAsync("/api/articles")).Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheAdminApiAndItsKey()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/articles") && paths.ContainsKey("/api/articles/{id}"), paths.ToJsonString());
        foreach (var method in new[] { "get", "put", "delete" }) Assert.NotNull(paths["/api/articles/{id}"]![method]);
        Assert.NotNull(paths["/api/articles"]!["post"]!["requestBody"]);
        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["ApiKey"]!["scheme"]);
        Assert.NotNull(paths["/api/articles"]!["post"]!["security"]);
    }

    private static XElement RssItem(XDocument feed, string guid) =>
        feed.Descendants("item").Single(i => i.Element("guid")?.Value == guid);

    private static XElement AtomEntry(XDocument feed, string id) =>
        feed.Descendants(Atom + "entry").Single(e => e.Element(Atom + "id")?.Value == id);

    private static JsonNode JsonItem(JsonNode feed, string id) =>
        feed["items"]!.AsArray().Single(i => (string?)i!["id"] == id)!;
}
