using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NewsFeed.Tests.Publishing;
using NewsFeed.Storage;
using NewsFeed.WebSub;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace NewsFeed.Tests.WebSub;

/// <summary>The WebSub publisher against WireMock.Net hubs: exact pings, retries, and a hub that is down.</summary>
public sealed class WebSubTests
{
    /// <summary>The topics of the test article: latest, its section, author and tag, each in three formats.</summary>
    private static readonly string[] Topics =
        [.. new[] { "latest", "sections/science", "authors/ada-quill", "tags/space-weather" }
            .SelectMany(feed => new[] { "rss", "atom", "json" }.Select(format => $"http://localhost/feeds/{feed}.{format}"))];

    [Fact]
    public async Task Publish_PingsEveryAffectedTopicOncePerHub()
    {
        using var hubs = WireMockServer.Start();
        hubs.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        using var app = HubApp($"{hubs.Url}/hub-a", $"{hubs.Url}/hub-b");
        using var admin = app.CreateAdminClient();
        using var pings = Pings(app);

        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        await WaitForAsync(app, pings, 2 * Topics.Length, TimeSpan.FromSeconds(30));
        Assert.Equal(2 * Topics.Length, Count(pings, "delivered"));

        var requests = hubs.LogEntries.Select(e => (Path: e.RequestMessage.Path, Form: e.RequestMessage.Body)).ToList();
        Assert.Equal(2 * Topics.Length, requests.Count);
        foreach (var hub in new[] { "/hub-a", "/hub-b" })
        {
            var topics = requests.Where(p => p.Path == hub).Select(p => Form(p.Form!)).ToList();
            Assert.All(topics, form => Assert.Equal("publish", form["hub.mode"]));
            Assert.Equal(Topics.Order(StringComparer.Ordinal), topics.Select(form => form["hub.url"]).Order(StringComparer.Ordinal));
        }
        Assert.All(hubs.LogEntries, e => Assert.StartsWith("application/x-www-form-urlencoded", e.RequestMessage.Headers!["Content-Type"][0], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Correction_MovingSection_PingsOldAndNewSectionFeeds()
    {
        using var hubs = WireMockServer.Start();
        hubs.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        using var app = HubApp($"{hubs.Url}/hub");
        using var admin = app.CreateAdminClient();
        using var pings = Pings(app);
        var id = Guid.NewGuid();
        var article = ArticlesApiTests.NewArticle(id);
        (await admin.PutAsJsonAsync($"/api/articles/{id}", article)).EnsureSuccessStatusCode();
        await WaitForAsync(app, pings, Topics.Length, TimeSpan.FromSeconds(30));
        hubs.ResetLogEntries();
        pings.Clear();

        article["sections"] = new JsonArray(new JsonObject { ["slug"] = "world", ["name"] = "World" });
        (await admin.PutAsJsonAsync($"/api/articles/{id}", article)).EnsureSuccessStatusCode();
        await WaitForAsync(app, pings, Topics.Length + 3, TimeSpan.FromSeconds(30));

        var topics = hubs.LogEntries.Select(e => Form(e.RequestMessage.Body!)["hub.url"]).ToHashSet();
        Assert.Contains("http://localhost/feeds/sections/science.rss", topics);
        Assert.Contains("http://localhost/feeds/sections/world.json", topics);
        Assert.Equal(Topics.Length + 3, hubs.LogEntries.Count);
    }

    [Fact]
    public async Task Hub_Failing500Twice_ThenAccepting_IsDelivered()
    {
        using var hubs = WireMockServer.Start();
        // The latest RSS topic meets 500, 500, then 204 (a mapping with no state condition matches in every state,
        // so priorities pick the one for the current state); every other topic is accepted at once.
        var latestRss = Request.Create().UsingPost().WithBody(new WireMock.Matchers.RegexMatcher("latest\\.rss"));
        hubs.Given(latestRss).AtPriority(3).InScenario("flaky").WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(500));
        hubs.Given(latestRss).AtPriority(2).InScenario("flaky").WhenStateIs("failed once").WillSetStateTo("failed twice")
            .RespondWith(Response.Create().WithStatusCode(500));
        hubs.Given(latestRss).AtPriority(1).InScenario("flaky").WhenStateIs("failed twice")
            .RespondWith(Response.Create().WithStatusCode(204));
        hubs.Given(Request.Create().UsingPost()).AtPriority(10).RespondWith(Response.Create().WithStatusCode(204));
        using var app = HubApp([$"{hubs.Url}/hub"], concurrency: 1);
        using var admin = app.CreateAdminClient();
        using var pings = Pings(app);

        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        await WaitForAsync(app, pings, Topics.Length, TimeSpan.FromSeconds(30));

        // The latest RSS ping meets 500, 500, then 204, and is delivered on its third attempt, within one send.
        var byTopic = hubs.LogEntries.GroupBy(r => Form(r.RequestMessage.Body!)["hub.url"]).ToDictionary(g => g.Key, g => g.Select(r => (int)r.ResponseMessage.StatusCode!).ToList());
        Assert.Equal([500, 500, 204], byTopic["http://localhost/feeds/latest.rss"]);
        Assert.Equal(Topics.Order(StringComparer.Ordinal), byTopic.Keys.Order(StringComparer.Ordinal));
        Assert.All(byTopic.Values, codes => Assert.Equal(204, codes[^1]));
        Assert.Equal(Topics.Length, Count(pings, "delivered"));
        Assert.Equal(0, Count(pings, "failed"));
    }

    [Fact]
    public async Task Hub_Down_PublishStillSucceeds_AndFeedsAreUpdated()
    {
        var downHub = $"http://127.0.0.1:{ServerProcess.FreePort()}/hub";
        using var app = HubApp(downHub);
        app.Settings["WebSub:MaxAttempts"] = "1";
        using var admin = app.CreateAdminClient();
        using var pings = Pings(app);

        using var created = await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle());

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("Solar storm", await admin.GetStringAsync("/feeds/sections/science.rss"), StringComparison.Ordinal);
        // Every ping gives up after its retries (one send of each outbox message here); none of that reached the publish.
        await WaitForAsync(app, pings, Topics.Length, TimeSpan.FromSeconds(60));
        Assert.Equal(Topics.Length, Count(pings, "failed"));
    }

    [Fact]
    public async Task PartnerChange_PingsTheAllPartnersAndThePartnersFeeds()
    {
        using var hubs = WireMockServer.Start();
        hubs.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        using var app = HubApp($"{hubs.Url}/hub");
        using var admin = app.CreateAdminClient();
        using var pings = Pings(app);

        // Removing a partner (one of the shipped examples) changes what the partner feeds show.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/partners/harbor-gazette")).StatusCode);
        await WaitForAsync(app, pings, 6, TimeSpan.FromSeconds(30));

        var topics = hubs.LogEntries.Select(e => Form(e.RequestMessage.Body!)["hub.url"]).Order(StringComparer.Ordinal);
        Assert.Equal(
            new[] { "partners", "partners/harbor-gazette" }.SelectMany(feed => new[] { "atom", "json", "rss" }.Select(format => $"http://localhost/feeds/{feed}.{format}")).Order(StringComparer.Ordinal),
            topics);
    }

    [Fact]
    public async Task Feeds_AdvertiseTheHubs_InEveryFormat()
    {
        using var app = HubApp("https://hub-one.example.com/", "https://hub-two.example.com/");
        using var client = app.CreateClient();

        using var rss = await client.GetAsync("/feeds/latest.rss");
        var atom = await client.GetStringAsync("/feeds/latest.atom");
        var json = JsonNode.Parse(await client.GetStringAsync("/feeds/latest.json"))!;

        Assert.Contains("<https://hub-two.example.com/>; rel=\"hub\"", rss.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Contains("<atom:link rel=\"hub\" href=\"https://hub-one.example.com/\"", await rss.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("rel=\"hub\" href=\"https://hub-two.example.com/\"", atom, StringComparison.Ordinal);
        Assert.Equal(["https://hub-one.example.com/", "https://hub-two.example.com/"], json["hubs"]!.AsArray().Select(h => (string?)h!["url"]));
    }

    private static NewsFeedApp HubApp(params string[] hubs) => HubApp(hubs, concurrency: 4);

    private static NewsFeedApp HubApp(string[] hubs, int concurrency)
    {
        var app = new NewsFeedApp();
        app.Settings["WebSub:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Settings["WebSub:AttemptTimeout"] = "00:00:05";
        for (var i = 0; i < hubs.Length; i++) app.Settings[$"WebSub:Hubs:{i}"] = hubs[i];
        return app;
    }

    /// <summary>Records every ping's outcome; made before the write so no measurement is missed.</summary>
    private static MetricCollector<long> Pings(NewsFeedApp app) =>
        new(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), NewsFeedMeter.Name, "newsfeed.websub.pings");

    /// <summary>
    /// Until <paramref name="count"/> pings are done and none is queued or in flight: every ping the writes made
    /// has ended, so a stray extra one would already be in the exact counts that follow.
    /// </summary>
    private static Task WaitForAsync(NewsFeedApp app, MetricCollector<long> pings, int count, TimeSpan timeout)
    {
        var outbox = app.Services.GetRequiredService<IOutbox>();
        return Eventually.WaitUntilAsync(
            async () => pings.GetMeasurementSnapshot().Count >= count && await outbox.CountPendingAsync(CancellationToken.None) == 0,
            timeout,
            () => $"{pings.GetMeasurementSnapshot().Count} of {count} pings done, some still in the outbox, in {timeout}.");
    }

    private static int Count(MetricCollector<long> pings, string outcome) =>
        pings.GetMeasurementSnapshot().Count(m => (string?)m.Tags["outcome"] == outcome);

    internal static Dictionary<string, string> Form(string body) =>
        body.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
}
