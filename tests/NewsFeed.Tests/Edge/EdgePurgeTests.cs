using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NewsFeed.Tests.Publishing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace NewsFeed.Tests.Edge;

/// <summary>
/// Purge on change against WireMock.Net standing in for Varnish, Fastly and Cloudflare: the request shapes their
/// documentation gives, exactly the keys a write touched, and failures (429 with Retry-After, 5xx) retried.
/// </summary>
public sealed class EdgePurgeTests
{
    /// <summary>The feeds of the test article (published 2026-11-24) and each one's archive month.</summary>
    private static readonly string[] Keys =
        [.. new[] { "latest", "sections/science", "authors/ada-quill", "tags/space-weather" }.SelectMany(feed => new[] { feed, feed + "/archive/2026-11" })];

    [Fact]
    public async Task Publish_PurgesExactlyItsFeedsAndArchiveMonths_AtEveryVarnish()
    {
        using var varnishA = WireMockServer.Start();
        using var varnishB = WireMockServer.Start();
        foreach (var varnish in new[] { varnishA, varnishB })
        {
            varnish.Given(Request.Create().UsingMethod("PURGE")).RespondWith(Response.Create().WithStatusCode(200).WithBody("Invalidated 3 objects"));
        }
        using var app = PurgeApp("Varnish", [("Urls:0", varnishA.Url + "/"), ("Urls:1", varnishB.Url + "/")]);
        using var purges = Purges(app);
        using var admin = app.CreateAdminClient();

        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        await WaitForKeysAsync(purges, "sent", 2 * Keys.Length);

        foreach (var varnish in new[] { varnishA, varnishB })
        {
            await WaitForLoggedAsync(varnish, () => PurgedKeys(varnish).Count >= Keys.Length);
            Assert.All(varnish.LogEntries, entry => Assert.Equal("PURGE", entry.RequestMessage.Method));
            Assert.Equal(Keys.Order(StringComparer.Ordinal), PurgedKeys(varnish).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Correction_MovingSection_PurgesOldAndNewSection_ButNotOtherFeeds()
    {
        using var varnish = WireMockServer.Start();
        varnish.Given(Request.Create().UsingMethod("PURGE")).RespondWith(Response.Create().WithStatusCode(200));
        using var app = PurgeApp("Varnish", [("Urls:0", varnish.Url + "/")]);
        using var purges = Purges(app);
        using var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();
        var article = ArticlesApiTests.NewArticle(id);
        (await admin.PutAsJsonAsync($"/api/articles/{id}", article)).EnsureSuccessStatusCode();
        await WaitForKeysAsync(purges, "sent", Keys.Length);
        varnish.ResetLogEntries();
        purges.Clear();

        article["sections"] = new JsonArray(new JsonObject { ["slug"] = "world", ["name"] = "World" });
        (await admin.PutAsJsonAsync($"/api/articles/{id}", article)).EnsureSuccessStatusCode();
        await WaitForKeysAsync(purges, "sent", Keys.Length + 2);
        await WaitForLoggedAsync(varnish, () => PurgedKeys(varnish).Count >= Keys.Length + 2);

        var purged = PurgedKeys(varnish).ToHashSet();
        Assert.Equal(Keys.Concat(["sections/world", "sections/world/archive/2026-11"]).Order(StringComparer.Ordinal), purged.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fastly_BatchPurgeBySurrogateKey_HasTheDocumentedShape_AndARateLimitIsWaitedOut()
    {
        using var fastly = WireMockServer.Start();
        var purge = Request.Create().UsingPost().WithPath("/service/SU1Z0isxPaozGVKXdv0eY/purge");
        // First a rate limit with Retry-After, then the answer Fastly documents: a purge id per key.
        fastly.Given(purge).AtPriority(1).InScenario("limited").WillSetStateTo("waited")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        fastly.Given(purge).AtPriority(2).InScenario("limited").WhenStateIs("waited")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { latest = "108-1391560174-974124" }));
        using var app = PurgeApp("Fastly", [("ServiceId", "SU1Z0isxPaozGVKXdv0eY"), ("ApiToken", "fastly-token-1"), ("BaseUrl", fastly.Url + "/")]);
        using var purges = Purges(app);
        using var admin = app.CreateAdminClient();

        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        await WaitForKeysAsync(purges, "sent", Keys.Length);
        await WaitForLoggedAsync(fastly, () => fastly.LogEntries.Count >= 2);

        var requests = fastly.LogEntries.ToList();
        Assert.Equal([429, 200], requests.Select(entry => (int)entry.ResponseMessage.StatusCode!));
        var first = requests[0].RequestMessage;
        var second = requests[1].RequestMessage;
        Assert.True((second.DateTime - first.DateTime) >= TimeSpan.FromSeconds(0.9), "the retry waited for Retry-After");
        Assert.All(requests, entry =>
        {
            Assert.Equal("POST", entry.RequestMessage.Method);
            Assert.Equal("fastly-token-1", entry.RequestMessage.Headers!["Fastly-Key"].Single());
            Assert.Equal(Keys.Order(StringComparer.Ordinal), entry.RequestMessage.Headers!["Surrogate-Key"].Single().Split(' ').Order(StringComparer.Ordinal));
        });
    }

    [Fact]
    public async Task Cloudflare_PurgeByTags_HasTheDocumentedShape_AndA5xxIsRetried()
    {
        using var cloudflare = WireMockServer.Start();
        var purge = Request.Create().UsingPost().WithPath("/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache");
        cloudflare.Given(purge).AtPriority(1).InScenario("flaky").WillSetStateTo("failed")
            .RespondWith(Response.Create().WithStatusCode(503));
        cloudflare.Given(purge).AtPriority(2).InScenario("flaky").WhenStateIs("failed")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { success = true, errors = Array.Empty<object>(), messages = Array.Empty<object>(), result = new { id = "023e105f4ecef8ad9ca31a8372d0c353" } }));
        using var app = PurgeApp("Cloudflare", [("ZoneId", "023e105f4ecef8ad9ca31a8372d0c353"), ("ApiToken", "cf-token-1"), ("BaseUrl", cloudflare.Url + "/client/v4/")]);
        using var purges = Purges(app);
        using var admin = app.CreateAdminClient();

        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        await WaitForKeysAsync(purges, "sent", Keys.Length);
        await WaitForLoggedAsync(cloudflare, () => cloudflare.LogEntries.Count >= 2);

        var requests = cloudflare.LogEntries.ToList();
        Assert.Equal([503, 200], requests.Select(entry => (int)entry.ResponseMessage.StatusCode!));
        Assert.All(requests, entry =>
        {
            Assert.Equal("POST", entry.RequestMessage.Method);
            Assert.Equal("Bearer cf-token-1", entry.RequestMessage.Headers!["Authorization"].Single());
            Assert.StartsWith("application/json", entry.RequestMessage.Headers!["Content-Type"].Single(), StringComparison.Ordinal);
            var tags = JsonNode.Parse(entry.RequestMessage.Body!)!["tags"]!.AsArray().Select(tag => (string)tag!);
            Assert.Equal(Keys.Order(StringComparer.Ordinal), tags.Order(StringComparer.Ordinal));
        });
    }

    [Fact]
    public async Task Cloudflare_AnsweringSuccessFalse_IsAFailure_RetriedFromTheOutbox()
    {
        using var cloudflare = WireMockServer.Start();
        var purge = Request.Create().UsingPost().WithPath("/zones/z1/purge_cache");
        cloudflare.Given(purge).AtPriority(1).InScenario("refused").WillSetStateTo("refused once")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { success = false, errors = new[] { new { code = 1134, message = "Rate limited" } } }));
        cloudflare.Given(purge).AtPriority(2).InScenario("refused").WhenStateIs("refused once")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { success = true }));
        using var app = PurgeApp("Cloudflare", [("ZoneId", "z1"), ("ApiToken", "t"), ("BaseUrl", cloudflare.Url!)]);
        app.Settings["Edge:MaxAttempts"] = "3";
        using var purges = Purges(app);
        using var admin = app.CreateAdminClient();

        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        await WaitForKeysAsync(purges, "sent", Keys.Length);

        await WaitForLoggedAsync(cloudflare, () => cloudflare.LogEntries.Count >= 2);
        Assert.Equal(Keys.Length, Count(purges, "failed"));
        Assert.Equal(2, cloudflare.LogEntries.Count);
    }

    [Fact]
    public async Task PurgerDown_PublishStillSucceedsAtOnce_AndThePurgeIsCountedFailed()
    {
        using var app = PurgeApp("Varnish", [("Urls:0", $"http://127.0.0.1:{ServerProcess.FreePort()}/")]);
        app.Settings["Edge:MaxAttempts"] = "1";
        using var purges = Purges(app);
        using var admin = app.CreateAdminClient();

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var created = await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle());

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"the publish took {started.Elapsed}");
        Assert.Contains("Solar storm", await admin.GetStringAsync("/feeds/sections/science.rss"), StringComparison.Ordinal);
        await WaitForKeysAsync(purges, "failed", Keys.Length);
    }

    [Fact]
    public async Task FailingPurger_LogsOneLinePerAttempt_NoStackTrace()
    {
        using var varnish = WireMockServer.Start();
        varnish.Given(Request.Create().UsingMethod("PURGE")).RespondWith(Response.Create().WithStatusCode(503));
        var logs = new FakeLogCollector();
        using var app = PurgeApp("Varnish", [("Urls:0", varnish.Url + "/")], services => services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs))));
        app.Settings["Edge:MaxRetries"] = "2";
        app.Settings["Edge:MaxAttempts"] = "1";
        using var purges = Purges(app);
        using var admin = app.CreateAdminClient();

        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        await WaitForKeysAsync(purges, "failed", Keys.Length);
        // The dispatcher writes its line after the sender has counted the failure, and WireMock logs a request after answering it.
        await Eventually.WaitUntilAsync(() => logs.GetSnapshot().Any(record => record.Message.Contains("given up", StringComparison.Ordinal)) && varnish.LogEntries.Count >= 3,
            TimeSpan.FromSeconds(10), () => $"no given-up line, or {varnish.LogEntries.Count} of 3 PURGE requests");

        var lines = logs.GetSnapshot().Where(record => record.Message.Contains("Edge purger", StringComparison.Ordinal)).ToList();
        // Three HTTP attempts (one and two retries) of the one send, each one line; then the send given up, one line.
        Assert.Equal(3, lines.Count(record => record.Message.Contains("attempt", StringComparison.Ordinal) && record.Message.Contains("503", StringComparison.Ordinal) && !record.Message.Contains("given up", StringComparison.Ordinal)));
        Assert.Single(lines, record => record.Message.Contains("given up", StringComparison.Ordinal));
        Assert.All(lines, record => Assert.Null(record.Exception));
        Assert.Equal(3, varnish.LogEntries.Count);
    }

    private static NewsFeedApp PurgeApp(string type, (string Key, string Value)[] settings, Action<IServiceCollection>? services = null)
    {
        var app = new NewsFeedApp { TestServices = services };
        app.Settings["Edge:MaxAge"] = "1.00:00:00";
        app.Settings["Edge:RetryDelay"] = "00:00:00.050";
        app.Settings["Edge:OutboxRetryDelay"] = "00:00:00.100";
        app.Settings["Edge:AttemptTimeout"] = "00:00:05";
        app.Settings["Edge:Purgers:0:Type"] = type;
        foreach (var (key, value) in settings) app.Settings[$"Edge:Purgers:0:{key}"] = value;
        return app;
    }

    /// <summary>Keys purged by outcome; made before the write so no measurement is missed.</summary>
    private static MetricCollector<long> Purges(NewsFeedApp app) =>
        new(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), NewsFeedMeter.Name, "newsfeed.edge.purges");

    private static Task WaitForKeysAsync(MetricCollector<long> purges, string outcome, int keys) =>
        Eventually.WaitUntilAsync(() => Count(purges, outcome) >= keys, TimeSpan.FromSeconds(30),
            () => $"{Count(purges, outcome)} of {keys} keys {outcome} in 30 s.");

    /// <summary>WireMock logs a request after it has answered it: until what a test reads is logged.</summary>
    private static Task WaitForLoggedAsync(WireMockServer server, Func<bool> logged) =>
        Eventually.WaitUntilAsync(logged, TimeSpan.FromSeconds(10), () => $"{server.LogEntries.Count} requests logged");

    private static List<string> PurgedKeys(WireMockServer varnish) =>
        [.. varnish.LogEntries.SelectMany(entry => entry.RequestMessage.Headers!["xkey-purge"].Single().Split(' '))];

    private static long Count(MetricCollector<long> purges, string outcome) =>
        purges.GetMeasurementSnapshot().Where(m => (string?)m.Tags["outcome"] == outcome).Sum(m => m.Value);
}
