using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NewsFeed.Articles;
using NewsFeed.Storage;

namespace NewsFeed.Tests.Feeds;

/// <summary>HTTP caching and errors, through the running app.</summary>
public sealed class FeedHttpTests(NewsFeedApp app) : AppEndpointTests(app)
{
    [Theory]
    [InlineData("/feeds/latest.rss?before=9999999999999.7&limit=5", "/feeds/latest.rss?limit=5&before=9999999999999.7")]
    [InlineData("/feeds/latest.rss?before=09999999999999.007", "/feeds/latest.rss?before=9999999999999.7")]
    [InlineData("/feeds/latest.atom?limit=20&before=9999999999999.p1", "/feeds/latest.atom?before=9999999999999.p1")]
    [InlineData("/feeds/latest.atom?limit=20", "/feeds/latest.atom")]
    [InlineData("/feeds/latest.json?page=1", "/feeds/latest.json")]
    [InlineData("/feeds/sections/world.rss?limit=20&page=1", "/feeds/sections/world.rss")]
    [InlineData("/feeds/sections/world.rss?limit=05", "/feeds/sections/world.rss?limit=5")]
    [InlineData("/feeds/tags/local-government.atom?utm_source=reader&limit=3", "/feeds/tags/local-government.atom?limit=3")]
    public async Task Get_NonCanonicalQuery_RedirectsPermanentlyToTheCanonicalUrl(string path, string canonical)
    {
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(canonical, response.Headers.Location!.OriginalString);
        Assert.Equal(TimeSpan.FromDays(1), response.Headers.CacheControl!.MaxAge);
        // The canonical URL answers the feed itself, and its self link is that URL.
        using var feed = await client.GetAsync(canonical);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Contains($"<http://localhost{canonical}>; rel=\"self\"", string.Join(", ", feed.Headers.GetValues("Link")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/feeds/latest.rss", "application/rss+xml")]
    [InlineData("/feeds/latest.atom", "application/atom+xml")]
    [InlineData("/feeds/latest.json", "application/feed+json")]
    [InlineData("/feeds/sections/world.rss", "application/rss+xml")]
    [InlineData("/feeds/authors/world-desk.atom", "application/atom+xml")]
    [InlineData("/feeds/tags/local-government.json", "application/feed+json")]
    public async Task Get_Feed_HasContentTypeAndCachingHeaders(string path, string mediaType)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var cacheControl = response.Headers.CacheControl!;
        Assert.True(cacheControl.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), cacheControl.MaxAge);
        Assert.Contains(cacheControl.Extensions, e => e.Name == "stale-while-revalidate" && e.Value == "60");
        Assert.Contains(cacheControl.Extensions, e => e.Name == "stale-if-error" && e.Value == "86400");
        var link = string.Join(", ", response.Headers.GetValues("Link"));
        Assert.Contains($"<http://localhost{path}>; rel=\"self\"", link, StringComparison.Ordinal);
        Assert.Contains($"<{NewsFeedApp.HubUrl}>; rel=\"hub\"", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_MatchingIfNoneMatch_Returns304WithValidators()
    {
        using var first = await Client.GetAsync("/feeds/latest.rss");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
        Assert.Equal(first.Headers.CacheControl, response.Headers.CacheControl);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_IfNoneMatchListWithWeakFormAndStar_Returns304()
    {
        using var first = await Client.GetAsync("/feeds/latest.atom");
        var tag = first.Headers.ETag!.Tag;
        foreach (var header in new[] { $"\"other\", W/{tag}", "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.atom");
            request.Headers.TryAddWithoutValidation("If-None-Match", header);
            using var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        }
    }

    [Fact]
    public async Task Get_IfModifiedSinceWithoutIfNoneMatch_Returns304()
    {
        using var first = await Client.GetAsync("/feeds/sections/world.json");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/sections/world.json");
        request.Headers.IfModifiedSince = first.Content.Headers.LastModified;

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
    }

    [Fact]
    public async Task Get_OlderIfModifiedSince_Returns200()
    {
        using var first = await Client.GetAsync("/feeds/sections/world.json");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/sections/world.json");
        request.Headers.IfModifiedSince = first.Content.Headers.LastModified!.Value.AddSeconds(-1);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_StaleIfNoneMatchWithFreshIfModifiedSince_Returns200()
    {
        // RFC 9110 §13.2.2: If-None-Match is evaluated and If-Modified-Since ignored.
        using var first = await Client.GetAsync("/feeds/latest.rss");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-the-current-one\""));
        request.Headers.IfModifiedSince = first.Content.Headers.LastModified!.Value.AddYears(1);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Get_AcceptEncoding_SendsCompressedFormOfIdenticalBytes(string coding)
    {
        var identity = await Client.GetByteArrayAsync("/feeds/latest.rss");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        request.Headers.AcceptEncoding.ParseAdd(coding);

        using var response = await Client.SendAsync(request);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal([coding], response.Content.Headers.ContentEncoding);
        Assert.Equal(compressed.Length, response.Content.Headers.ContentLength);
        Assert.True(compressed.Length < identity.Length / 2);
        Assert.Equal(identity, Decompress(coding, compressed));
        using var plain = await Client.GetAsync("/feeds/latest.rss");
        Assert.NotEqual(plain.Headers.ETag, response.Headers.ETag);
    }

    [Theory]
    [InlineData("gzip;q=0.1, identity", null)]
    [InlineData("gzip, identity", "gzip")]
    [InlineData("*", "br")]
    [InlineData("br;q=0, *", "gzip")]
    [InlineData("br;q=0.5, gzip;q=0.8", "gzip")]
    [InlineData("identity;q=0", null)]
    [InlineData("compress, deflate", null)]
    public async Task Get_AcceptEncodingPreferences_PickTheCoding(string acceptEncoding, string? expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.json");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected is null ? [] : [expected], response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Get_CompressedTwice_ServesTheSameBytes()
    {
        var bodies = new List<byte[]>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.atom");
            request.Headers.AcceptEncoding.ParseAdd("gzip, br;q=0.5");
            using var response = await Client.SendAsync(request);
            Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
            bodies.Add(await response.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(bodies[0], bodies[1]);
    }

    [Fact]
    public async Task Head_Feed_HasHeadersAndNoBody()
    {
        using var get = await Client.GetAsync("/feeds/latest.json");
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/feeds/latest.json"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/feeds/sections/no-such-section.rss")]
    [InlineData("/feeds/authors/nobody.atom")]
    [InlineData("/feeds/tags/no-such-tag.json")]
    [InlineData("/feeds/sections/..%2F..%2Fetc.rss")]
    [InlineData("/feeds/sections/World.rss")]
    [InlineData("/feeds/latest.xml")]
    [InlineData("/feeds/latest.rss?page=1000")]
    public async Task Get_UnknownFeed_Returns404ProblemDocument(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(404, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("limit=1e3", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("limit=5&limit=6", "limit")]
    [InlineData("page=0", "page")]
    [InlineData("page=1001", "page")]
    [InlineData("page=2.5", "page")]
    [InlineData("page=%20%31", "page")]
    [InlineData("before=", "before")]
    [InlineData("before=abc", "before")]
    [InlineData("before=1795000000000", "before")]
    [InlineData("before=1795000000000.0", "before")]
    [InlineData("before=1795000000000.-3", "before")]
    [InlineData("before=%2B1795000000000.3", "before")]
    [InlineData("before=1795000000000.q3", "before")]
    [InlineData("before=1795000000000.3%20", "before")]
    [InlineData("before=99999999999999999999.3", "before")]
    [InlineData("before=1.2&before=1.3", "before")]
    [InlineData("page=2&before=1795000000000.3", "page")]
    public async Task Get_BadQuery_Returns400ProblemNamingTheParameter(string query, string parameter)
    {
        using var response = await Client.GetAsync("/feeds/latest.rss?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)problem["status"]!);
        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Fact]
    public async Task Get_Paging_LinksPagesAsRfc5005WithACursor()
    {
        var page1 = FeedAssert.WellFormedXml(await Client.GetByteArrayAsync("/feeds/latest.atom?limit=5"));
        static string? Link(System.Xml.Linq.XDocument doc, string rel) =>
            (string?)doc.Root!.Elements(FeedAssert.Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href");
        var next = Link(page1, "next")!;
        var page2 = FeedAssert.WellFormedXml(await Client.GetByteArrayAsync(next));

        Assert.Equal("http://localhost/feeds/latest.atom?limit=5", Link(page1, "first"));
        Assert.Matches(@"^http://localhost/feeds/latest\.atom\?limit=5&before=[0-9]+\.[0-9]+$", next);
        Assert.Null(Link(page1, "previous"));
        Assert.Equal(next, Link(page2, "self"));
        Assert.Equal("http://localhost/feeds/latest.atom?limit=5", Link(page2, "first"));
        // No previous on a cursor page: finding the page above would need the feed read backwards.
        Assert.Null(Link(page2, "previous"));
        Assert.NotEqual(next, Link(page2, "next"));

        var ids1 = page1.Root!.Elements(FeedAssert.Atom + "entry").Select(e => (string)e.Element(FeedAssert.Atom + "id")!).ToList();
        var ids2 = page2.Root!.Elements(FeedAssert.Atom + "entry").Select(e => (string)e.Element(FeedAssert.Atom + "id")!).ToList();
        Assert.Equal(5, ids1.Count);
        Assert.Equal(5, ids2.Count);
        Assert.Empty(ids1.Intersect(ids2));

        var json = JsonNode.Parse(await Client.GetByteArrayAsync("/feeds/latest.json?limit=5"))!;
        Assert.Equal(next.Replace(".atom", ".json", StringComparison.Ordinal), (string?)json["next_url"]);
        var last = JsonNode.Parse(await Client.GetByteArrayAsync("/feeds/latest.json?limit=100"))!;
        Assert.Null(last["next_url"]);
    }

    [Fact]
    public async Task Get_WalkingNext_VisitsEveryArticleOnceInEveryFormat()
    {
        var all = JsonNode.Parse(await Client.GetByteArrayAsync("/feeds/latest.json?limit=100"))!["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        var walked = new List<string>();
        for (string? url = "/feeds/latest.json?limit=3"; url is not null;)
        {
            var page = JsonNode.Parse(await Client.GetByteArrayAsync(url))!;
            walked.AddRange(page["items"]!.AsArray().Select(i => (string)i!["id"]!));
            url = (string?)page["next_url"];
        }
        Assert.Equal(all, walked);
    }

    [Fact]
    public async Task Get_OldPageLink_RedirectsTemporarilyToTheCursorOfThatPage()
    {
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page1 = JsonNode.Parse(await client.GetByteArrayAsync("/feeds/latest.json?limit=5"))!;
        var next = new Uri((string)page1["next_url"]!);

        using var response = await client.GetAsync("/feeds/latest.json?page=2&limit=5");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(next.PathAndQuery, response.Headers.Location!.OriginalString);
        // Page 2 moves as stories are published: cached as long as the feed, never as a permanent redirect.
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl!.MaxAge);
        using var tooDeep = await client.GetAsync("/feeds/latest.json?page=1000&limit=5");
        Assert.Equal(HttpStatusCode.NotFound, tooDeep.StatusCode);
    }

    [Fact]
    public async Task Get_CursorBelowTheLastItem_Returns404()
    {
        using var response = await Client.GetAsync("/feeds/latest.json?before=1.1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Preflight_ConditionalHeaders_AreAllowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/feeds/latest.json");
        request.Headers.Add("Origin", "https://partner.example.org");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "if-none-match");

        using var response = await Client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Contains("if-none-match", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_WithOrigin_AllowsAnyOriginAndExposesValidators()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.json");
        request.Headers.Add("Origin", "https://partner.example.org");

        using var response = await Client.SendAsync(request);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    private static byte[] Decompress(string coding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}

/// <summary>Store changes reach the next request; each test has its own app and store.</summary>
public sealed class FeedInvalidationTests
{
    [Fact]
    public async Task Get_AfterStoreChange_HasNewETagAndTheArticle()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        using var before = await client.GetAsync("/feeds/sections/world.rss");
        var article = SampleArticle(NewsFeedApp.Now.AddHours(-1));
        app.Time.Advance(TimeSpan.FromMinutes(1));

        await app.Services.GetRequiredService<IArticleStore>().UpsertAsync(article, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/sections/world.rss");
        request.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        using var after = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Contains(article.Id.ToString(), await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(after.Content.Headers.LastModified > before.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Write_RerendersOnlyTheFeedsTheArticleWasOrIsIn()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        var meters = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        string[] touched = ["/feeds/latest.rss", "/feeds/sections/world.rss", "/feeds/sections/business.rss", "/feeds/tags/embargo-test.json"];
        string[] untouched = ["/feeds/sections/technology.atom", "/feeds/tags/elections.rss", "/feeds/authors/nadia-okafor.json"];
        var article = SampleArticle(NewsFeedApp.Now.AddHours(-1));
        await store.UpsertAsync(article, CancellationToken.None);
        foreach (var url in touched.Concat(untouched)) (await client.GetAsync(url)).Dispose();

        using var renders = new MetricCollector<long>(meters, NewsFeedMeter.Name, "newsfeed.feed.renders");
        // Moves from world to business: both sections, its author and tag, and latest change.
        await store.UpsertAsync(article with { Sections = [new Term("business", "Business")], Updated = NewsFeedApp.Now }, CancellationToken.None);
        foreach (var url in touched.Concat(untouched)) (await client.GetAsync(url)).Dispose();

        Assert.Equal(touched.Length, renders.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.DoesNotContain(article.Id.ToString(), await client.GetStringAsync("/feeds/sections/world.rss"), StringComparison.Ordinal);
        Assert.Contains(article.Id.ToString(), await client.GetStringAsync("/feeds/sections/business.rss"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_AfterAnotherProcessWrites_ServesTheNewArticle()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        Assert.DoesNotContain("A new story", await client.GetStringAsync("/feeds/latest.rss"), StringComparison.Ordinal);

        // A second store on the same file stands in for the import command run beside the server.
        using (var outside = new SqliteArticleStore(new SqliteFile(app.DatabasePath)))
        {
            await outside.UpsertAsync(SampleArticle(NewsFeedApp.Now.AddHours(-1)), CancellationToken.None);
        }
        await app.Services.GetRequiredService<IArticleStore>().CatchUpAsync(CancellationToken.None);

        Assert.Contains("A new story", await client.GetStringAsync("/feeds/latest.rss"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnchangedWrite_KeepsETag()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        var existing = (await store.GetNewestAsync(null, NewsFeedApp.Now, 1, CancellationToken.None))[0];
        using var before = await client.GetAsync("/feeds/latest.atom");

        var result = await store.UpsertAsync(existing, CancellationToken.None);
        using var after = await client.GetAsync("/feeds/latest.atom");

        Assert.Equal(UpsertOutcome.Unchanged, result.Outcome);
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
    }

    [Fact]
    public async Task Get_AfterEmbargoLifts_ShowsArticleWithoutAnyWrite()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        var embargoed = SampleArticle(NewsFeedApp.Now.AddMinutes(-30)) with { EmbargoUntil = NewsFeedApp.Now.AddMinutes(30) };
        await store.UpsertAsync(embargoed, CancellationToken.None);

        Assert.DoesNotContain(embargoed.Id.ToString(), await client.GetStringAsync("/feeds/latest.json"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/feeds/tags/embargo-test.json")).StatusCode);

        app.Time.Advance(TimeSpan.FromMinutes(31));

        Assert.Contains(embargoed.Id.ToString(), await client.GetStringAsync("/feeds/latest.json"), StringComparison.Ordinal);
        Assert.Contains(embargoed.Id.ToString(), await client.GetStringAsync("/feeds/tags/embargo-test.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IfModifiedSince_AfterRetractionOrBackdatedStory_Returns200()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        var newest = (await store.GetNewestAsync(new TermRef(TermKind.Section, "world"), NewsFeedApp.Now, 1, CancellationToken.None))[0];

        // Neither change moves the newest item's "updated": only the feed's own change time can.
        var changes = new Func<Task>[]
        {
            () => store.UpsertAsync(newest with { Status = ArticleStatus.Retracted }, CancellationToken.None),
            () => store.UpsertAsync(SampleArticle(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)), CancellationToken.None),
        };
        foreach (var change in changes)
        {
            using var before = await client.GetAsync("/feeds/sections/world.atom");
            app.Time.Advance(TimeSpan.FromMinutes(1));
            await change();

            using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/sections/world.atom");
            request.Headers.IfModifiedSince = before.Content.Headers.LastModified;
            using var after = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.True(after.Content.Headers.LastModified > before.Content.Headers.LastModified);
        }
    }

    [Fact]
    public async Task LastModified_FutureUpdatedTime_IsNeverLaterThanNow()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        var future = SampleArticle(NewsFeedApp.Now.AddHours(-1)) with { Updated = NewsFeedApp.Now.AddYears(5) };
        await app.Services.GetRequiredService<IArticleStore>().UpsertAsync(future, CancellationToken.None);

        using var response = await client.GetAsync("/feeds/latest.rss");

        Assert.Equal(NewsFeedApp.Now, response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Get_StoredArticleWithControlCharactersInEveryField_StillServesValidFeeds()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        // Written straight to the store, past validation, as a buggy importer or old row might.
        var hostile = SampleArticle(NewsFeedApp.Now.AddHours(-1)) with
        {
            Title = "Title\u0001\u0008\uFFFE\uD800",
            Summary = "Sum\u0000mary ]]> & <b>",
            Body = "<p>Body\u0001 ]]&gt;</p>",
            Language = "en",
            Authors = [new Author("Na\u0002me", "maya-levin", "https://news.example.com/staff/x\u0001", "x\u0001@news.example.com", "Bio\u0003")],
            Image = new HeroImage("https://news.example.com/media/a\u0001.jpg", "Cap\u0004tion", "Cre\u0005dit", "Alt\u0006", 10, 10, "image/\u0001jpeg", 1234),
        };
        await app.Services.GetRequiredService<IArticleStore>().UpsertAsync(hostile, CancellationToken.None);

        FeedAssert.ValidRss(await client.GetByteArrayAsync("/feeds/latest.rss"));
        FeedAssert.ValidAtom(await client.GetByteArrayAsync("/feeds/latest.atom"));
        FeedAssert.ValidJsonFeed(await client.GetByteArrayAsync("/feeds/latest.json"));
    }

    internal static Article SampleArticle(DateTimeOffset published) => new()
    {
        Id = Guid.NewGuid(),
        Slug = "new-story",
        Url = "https://news.example.com/world/2026/11/24/new-story",
        Title = "A new story",
        Summary = "Something happened.",
        Body = "<p>Something happened today.</p>",
        Authors = [new Author("Maya Levin", "maya-levin")],
        Sections = [new Term("world", "World")],
        Tags = [new Term("embargo-test", "Embargo test")],
        Published = published,
        Updated = published,
    };
}
