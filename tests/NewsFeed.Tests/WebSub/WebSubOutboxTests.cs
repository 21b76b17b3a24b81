using System.Net;
using System.Net.Http.Json;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NewsFeed.Partners;
using NewsFeed.Storage;
using NewsFeed.Tests.Publishing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace NewsFeed.Tests.WebSub;

/// <summary>
/// The outbox and the leases across processes sharing a store: a ping outlives the process that wrote it, and
/// a partner leased by another instance is not polled here.
/// </summary>
public sealed class WebSubOutboxTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N"));

    public WebSubOutboxTests() => Directory.CreateDirectory(_directory);

    private string DatabasePath => Path.Combine(_directory, "shared.db");

    public void Dispose()
    {
        new SqliteFile(DatabasePath).ClearPool();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [Fact]
    public async Task PingThatFailed_IsSentByTheNextStart_AfterARestart()
    {
        var downHub = $"http://127.0.0.1:{ServerProcess.FreePort()}/hub";
        using (var first = App(downHub))
        {
            using var admin = first.CreateAdminClient();
            using var pings = new MetricCollector<long>(first.Services.GetRequiredService<IMeterFactory>(), NewsFeedMeter.Name, "newsfeed.websub.pings");
            (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
            var outbox = first.Services.GetRequiredService<IOutbox>();
            // The hub is down: every topic's first send fails, and the four feeds' messages wait in the store.
            await Eventually.WaitUntilAsync(
                async () => pings.GetMeasurementSnapshot().Count(m => (string?)m.Tags["outcome"] == "failed") >= 12
                    && await outbox.CountPendingAsync(CancellationToken.None) == 4,
                TimeSpan.FromSeconds(30), () => $"{pings.GetMeasurementSnapshot().Count} sends so far");
            Assert.DoesNotContain(pings.GetMeasurementSnapshot(), m => (string?)m.Tags["outcome"] == "delivered");
        }

        // The same hub address, now answering: a new process on the same store sends what the first could not.
        using var hub = WireMockServer.Start(new WireMock.Settings.WireMockServerSettings { Port = new Uri(downHub).Port });
        hub.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        using var second = App(downHub);
        using var client = second.CreateClient();
        (await client.GetAsync("/healthz")).EnsureSuccessStatusCode();
        var pending = second.Services.GetRequiredService<IOutbox>();
        await Eventually.WaitUntilAsync(async () => await pending.CountPendingAsync(CancellationToken.None) == 0, TimeSpan.FromSeconds(30),
            () => $"{hub.LogEntries.Count} pings reached the hub after the restart");
        var topics = hub.LogEntries.Select(e => WebSubTests.Form(e.RequestMessage.Body!)["hub.url"]).ToHashSet();
        Assert.Equal(12, topics.Count);
        Assert.Contains("http://localhost/feeds/tags/space-weather.json", topics);
    }

    [Fact]
    public async Task ClaimsOfADeadProcess_AreTakenBackByItsRestart_UnderTheSameInstanceId()
    {
        using var hub = WireMockServer.Start();
        hub.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        using (var first = App(hub.Url + "/hub"))
        {
            (await first.CreateClient().GetAsync("/healthz")).EnsureSuccessStatusCode();
        }
        // What a process killed mid-send leaves: a message claimed by its id for a day.
        var file = new SqliteFile(DatabasePath);
        await using (var connection = await file.OpenForWriteAsync(CancellationToken.None))
        {
            await SqliteFile.ExecuteAsync(connection, null, """
                INSERT INTO outbox (recipient, topic, due_at, created_at, claimed_by, claimed_until)
                VALUES ($hub, 'latest', 0, 0, 'web-1', $until);
                """, [("$hub", hub.Url + "/hub"), ("$until", DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds())], CancellationToken.None);
        }

        using var restarted = App(hub.Url + "/hub");
        (await restarted.CreateClient().GetAsync("/healthz")).EnsureSuccessStatusCode();
        var outbox = restarted.Services.GetRequiredService<IOutbox>();

        await Eventually.WaitUntilAsync(async () => await outbox.CountPendingAsync(CancellationToken.None) == 0, TimeSpan.FromSeconds(20),
            () => "the restarted instance did not send the message its id had claimed");
        Assert.Equal(3, hub.LogEntries.Count(e => WebSubTests.Form(e.RequestMessage.Body!)["hub.url"].StartsWith("http://localhost/feeds/latest.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PollNow_WhileAnotherInstanceHoldsTheLease_Answers409_AndPollsNothing()
    {
        using var app = App(NewsFeedApp.HubUrl);
        app.Settings["Partners:PollingEnabled"] = "false";
        using var admin = app.CreateAdminClient();
        var store = app.Services.GetRequiredService<IPartnerStore>();
        var partner = (await store.ListAsync(CancellationToken.None))[0].Partner.Id;
        Assert.True(await store.TryClaimAsync(partner, "another-instance", app.Time.GetUtcNow(), TimeSpan.FromMinutes(1), CancellationToken.None));

        using var busy = await admin.PostAsync($"/api/partners/{partner}/poll", null);

        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Null((await store.GetAsync(partner, CancellationToken.None))!.State.LastPoll);
        // Its lease ended (released, or expired): this instance may poll it again.
        await store.ReleaseAsync("another-instance", partner, CancellationToken.None);
        Assert.True(await store.TryClaimAsync(partner, "this-instance", app.Time.GetUtcNow(), TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    private NewsFeedApp App(string hub) => new()
    {
        Settings =
        {
            ["Storage:DatabasePath"] = DatabasePath,
            ["Instance:Id"] = "web-1",
            ["WebSub:Hubs:0"] = hub,
            // No retry within a send (the outbox's own retry is what is tested).
            ["WebSub:MaxRetries"] = "0",
            ["WebSub:AttemptTimeout"] = "00:00:02",
            ["WebSub:OutboxRetryDelay"] = "00:00:01",
            ["WebSub:OutboxPollInterval"] = "00:00:00.100",
        },
    };
}
