using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// What a poll may and may not change: a permanent move only once the new address answered, nothing an operator
/// changed during the poll, items only while the partner exists; retention, order, failures and feed caches.
/// </summary>
public sealed class PartnerPollConsistencyTests(PartnerHarness harness) : IClassFixture<PartnerHarness>
{
    private static readonly string Feed = PartnerHarness.Fixture("harbor-gazette.rss");

    [Theory]
    [InlineData("to-404")]
    [InlineData("loop")]
    [InlineData("credentials")]
    [InlineData("too-long")]
    public async Task Poll_PermanentRedirectThatFailsOrBreaksTheUrlRules_KeepsStoredUrl(string scenario)
    {
        var id = "moving-" + scenario;
        var home = $"/{id}.rss";
        var partner = await harness.AddPartnerAsync(id, home);
        var port = new Uri(harness.Server.Url!).Port;
        var target = scenario switch
        {
            "to-404" => harness.UrlOf($"/{id}-missing.rss"),
            "loop" => harness.UrlOf($"/{id}-other.rss"),
            "credentials" => $"http://user:secret@127.0.0.1:{port}/{id}-new.rss",
            _ => harness.UrlOf($"/{id}-new.rss?q=" + new string('x', PartnerRules.MaxUrlLength)),
        };
        harness.Serve(home, Response.Create().WithStatusCode(301).WithHeader("Location", target));
        harness.Serve($"/{id}-missing.rss", Response.Create().WithStatusCode(404));
        harness.Serve($"/{id}-other.rss", Response.Create().WithStatusCode(301).WithHeader("Location", harness.UrlOf(home)));
        harness.ServeFeed($"/{id}-new.rss", Feed);

        await harness.Poller.PollAsync(id, CancellationToken.None);

        var status = await harness.StatusAsync(id);
        Assert.Equal(partner.Url, status.Partner.Url);
        Assert.Null(PartnerRules.CheckUrl(status.Partner.Url, new PartnerOptions { AllowPrivateAddresses = true }));
    }

    [Fact]
    public async Task Poll_PermanentRedirectThatTimesOut_KeepsStoredUrl()
    {
        // Short deadlines: the redirect's target answers after 5 s, past the 3 s a poll has here.
        using var deadlines = new DeadlinePartnerHarness();
        var slow = deadlines.Harness;
        await slow.AddPartnerAsync("moving-slow", "/moving-slow.rss");
        slow.Serve("/moving-slow.rss", Response.Create().WithStatusCode(308).WithHeader("Location", "/moving-slow-new.rss"));
        slow.Serve("/moving-slow-new.rss", Response.Create().WithStatusCode(200).WithBody(Feed).WithDelay(TimeSpan.FromSeconds(5)));

        var result = await slow.Poller.PollAsync("moving-slow", CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Equal(slow.UrlOf("/moving-slow.rss"), (await slow.StatusAsync("moving-slow")).Partner.Url);
    }

    [Fact]
    public async Task Put_DuringPoll_WinsOverThePollsConfigValidatorsAndItems()
    {
        // Its own harness with roomy timeouts, so a loaded machine cannot turn the held answer into a timeout.
        using var harness = PartnerHarness.With(new() { ["Partners:AttemptTimeout"] = "00:00:20", ["Partners:TotalTimeout"] = "00:00:30" });
        using var admin = harness.AdminClient();
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = Encoding.UTF8.GetBytes(Feed);
        // The old URL holds its answer until the test lets it go, so the PUT surely lands while the poll waits.
        await using var oldServer = new RawHttpServer(async (stream, stop) =>
        {
            requested.TrySetResult();
            await answer.Task.WaitAsync(stop);
            await stream.WriteAsync(RawHttpServer.Ascii(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\nETag: \"old\"\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), stop);
            await stream.WriteAsync(body, stop);
        });
        Assert.True(await harness.Store.AddAsync(new Partner { Id = "raced", Name = "Partner raced", Url = oldServer.Url + "/raced-old.rss" }, harness.App.Time.GetUtcNow(), CancellationToken.None));

        var poll = harness.Poller.PollAsync("raced", CancellationToken.None);
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var put = await admin.PutAsJsonAsync("/api/partners/raced", new { id = "raced", name = "Raced Anew", url = harness.UrlOf("/raced-new.rss") });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        answer.SetResult();
        await poll;

        var status = await harness.StatusAsync("raced");
        Assert.Equal("Raced Anew", status.Partner.Name);
        Assert.Equal(harness.UrlOf("/raced-new.rss"), status.Partner.Url);
        Assert.Null(status.State.ETag); // the old URL's validators are not brought back
        Assert.Equal(0, status.ItemCount); // the old URL's items are not stored under the new configuration
        Assert.True(status.State.NextPoll <= harness.App.Time.GetUtcNow(), "still due for a poll of the new URL");
        Assert.Equal(harness.App.Time.GetUtcNow(), status.State.LastSuccess); // its health is recorded
    }

    [Fact]
    public async Task Put_DuringAFailingPoll_RecordsTheFailureAndItsKindTogether()
    {
        using var harness = PartnerHarness.With(new() { ["Partners:AttemptTimeout"] = "00:00:20", ["Partners:TotalTimeout"] = "00:00:30", ["Partners:MaxRetries"] = "0" });
        using var admin = harness.AdminClient();
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The old URL holds a 404 until the PUT has landed, so the failure is merged into the new configuration.
        await using var oldServer = new RawHttpServer(async (stream, stop) =>
        {
            requested.TrySetResult();
            await answer.Task.WaitAsync(stop);
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), stop);
        });
        Assert.True(await harness.Store.AddAsync(new Partner { Id = "raced-failing", Name = "Partner raced", Url = oldServer.Url + "/gone.rss" }, harness.App.Time.GetUtcNow(), CancellationToken.None));

        var poll = harness.Poller.PollAsync("raced-failing", CancellationToken.None);
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var put = await admin.PutAsJsonAsync("/api/partners/raced-failing", new { id = "raced-failing", name = "Raced Anew", url = harness.UrlOf("/raced-failing-new.rss") });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        answer.SetResult();
        await poll;

        var status = await harness.StatusAsync("raced-failing");
        Assert.Equal("Raced Anew", status.Partner.Name);
        Assert.Contains("404", status.State.LastError, StringComparison.Ordinal);
        Assert.Equal(PollFailure.Http, status.State.LastErrorKind); // the kind goes with the reason it describes
    }

    [Fact]
    public async Task SaveItems_ForARemovedPartner_StoresNothing()
    {
        var now = harness.App.Time.GetUtcNow();
        var item = new StoredPartnerItem
        {
            Item = new PartnerItem { Key = "orphan", Title = "Orphan", ContentHash = "h" },
            PartnerId = "never-there",
            PartnerName = "Never there",
            FeedUrl = "https://never-there.example/feed",
            FirstSeen = now,
            FetchedAt = now,
        };

        Assert.False(await harness.Store.SaveItemsAsync("never-there", [item], 10, TimeSpan.FromDays(1), now, CancellationToken.None));
        Assert.Empty(await harness.Store.GetNewestAsync("never-there", null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Put_NameAttributionSection_ReachStoredItemsAndCachedFeeds()
    {
        using var app = PartnerHarness.With(new() { ["Partners:IncludeInSections"] = "true" });
        using var admin = app.AdminClient();
        app.ServeFeed("/renamed.rss", Feed);
        await app.AddPartnerAsync("renamed", "/renamed.rss", section: "harbour", name: "Old Name");
        await app.Poller.PollAsync("renamed", CancellationToken.None);
        Assert.Contains("Old Name", await app.Client.GetStringAsync("/feeds/partners/renamed.rss"), StringComparison.Ordinal);
        Assert.Contains("Old Name", await app.Client.GetStringAsync("/feeds/partners.rss"), StringComparison.Ordinal);
        Assert.Contains("Old Name", await app.Client.GetStringAsync("/feeds/sections/harbour.rss"), StringComparison.Ordinal);

        using var put = await admin.PutAsJsonAsync("/api/partners/renamed",
            new { id = "renamed", name = "New Name", url = app.UrlOf("/renamed.rss"), section = "coast", attribution = "Thanks to New Name" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var partnerFeed = XDocument.Parse(await app.Client.GetStringAsync("/feeds/partners/renamed.rss"));
        Assert.All(partnerFeed.Descendants("item"), item => Assert.Equal("New Name", (string?)item.Element("source")));
        Assert.DoesNotContain("Old Name", await app.Client.GetStringAsync("/feeds/partners.rss"), StringComparison.Ordinal);
        Assert.Contains("Thanks to New Name", await app.Client.GetStringAsync("/feeds/partners/renamed.json"), StringComparison.Ordinal);
        Assert.Contains("New Name", await app.Client.GetStringAsync("/feeds/sections/coast.rss"), StringComparison.Ordinal);
        using var oldSection = await app.Client.GetAsync("/feeds/sections/harbour.rss");
        Assert.DoesNotContain("Old Name", await oldSection.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(await app.Store.GetNewestAsync("renamed", null, 100, CancellationToken.None), stored =>
        {
            Assert.Equal("New Name", stored.PartnerName);
            Assert.Equal("Thanks to New Name", stored.Attribution);
            Assert.Equal("coast", stored.Section);
        });
    }

    [Fact]
    public async Task Delete_PartnerWithNoItems_ItsFeedIsGoneAtOnce()
    {
        using var admin = harness.AdminClient();
        using var created = await admin.PostAsJsonAsync("/api/partners", new { id = "empty-handed", name = "Empty", url = harness.UrlOf("/empty-handed.rss"), enabled = false });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var before = await harness.Client.GetAsync("/feeds/partners/empty-handed.rss"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var deleted = await admin.DeleteAsync("/api/partners/empty-handed");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var after = await harness.Client.GetAsync("/feeds/partners/empty-handed.rss");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task Retention_CountsFromWhenA200FirstLeftTheItemOut_Not304s()
    {
        using var app = PartnerHarness.With(new() { ["Partners:Retention"] = "01:00:00" });
        const string path = "/retained.rss";
        await app.AddPartnerAsync("retained", path);
        app.ServeFeed(path, PartnerHarness.Rss(("a", "A"), ("b", "B")));
        await app.Poller.PollAsync("retained", CancellationToken.None);

        app.App.Time.Advance(TimeSpan.FromHours(3)); // a long spell of 304s
        app.Serve(path, Response.Create().WithStatusCode(304));
        Assert.Equal(PollOutcome.NotModified, (await app.Poller.PollAsync("retained", CancellationToken.None)).Outcome);
        app.App.Time.Advance(TimeSpan.FromMinutes(1));
        app.ServeFeed(path, PartnerHarness.Rss(("c", "C")));
        await app.Poller.PollAsync("retained", CancellationToken.None);
        Assert.Equal(["a", "b", "c"], await app.KeysAsync("retained"));

        app.App.Time.Advance(TimeSpan.FromMinutes(30));
        app.ServeFeed(path, PartnerHarness.Rss(("b", "B"), ("c", "C"))); // b listed again: its clock stops
        await app.Poller.PollAsync("retained", CancellationToken.None);
        app.App.Time.Advance(TimeSpan.FromMinutes(31));
        app.ServeFeed(path, PartnerHarness.Rss(("c", "C")));
        await app.Poller.PollAsync("retained", CancellationToken.None);
        Assert.Equal(["b", "c"], await app.KeysAsync("retained")); // a unlisted for 61 min; b for none

        app.App.Time.Advance(TimeSpan.FromMinutes(61));
        await app.Poller.PollAsync("retained", CancellationToken.None);
        Assert.Equal(["c"], await app.KeysAsync("retained"));
    }

    [Fact]
    public async Task Poll_UndatedItems_KeepDocumentOrder()
    {
        const string path = "/undated.rss";
        await harness.AddPartnerAsync("undated", path);
        harness.ServeFeed(path, """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>Undated</title><link>https://undated.example/</link><description>d</description>
            <item><title>One</title><guid isPermaLink="false">one</guid></item>
            <item><title>Two</title><guid isPermaLink="false">two</guid></item>
            <item><title>Three</title><guid isPermaLink="false">three</guid></item>
            </channel></rss>
            """);

        await harness.Poller.PollAsync("undated", CancellationToken.None);

        var items = await harness.Store.GetNewestAsync("undated", null, 10, CancellationToken.None);
        Assert.Equal(["one", "two", "three"], items.Select(i => i.Item.Key));
        var feed = XDocument.Parse(await harness.Client.GetStringAsync("/feeds/partners/undated.rss"));
        Assert.Equal(["One", "Two", "Three"], feed.Descendants("item").Select(i => (string?)i.Element("title")));
    }

    [Fact]
    public async Task Poll_StorageFailsAfterTheFetch_RecordedAsFailureWithBackoff()
    {
        await harness.AddPartnerAsync("unlucky", "/unlucky.rss");
        harness.ServeFeed("/unlucky.rss", Feed);
        await using (var connection = new SqliteConnection($"Data Source={harness.App.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TRIGGER unlucky_items BEFORE INSERT ON partner_items WHEN NEW.partner_id = 'unlucky'
                BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END;
                """;
            await command.ExecuteNonQueryAsync();
        }

        var result = await harness.Poller.PollAsync("unlucky", CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains("simulated storage failure", result.Error, StringComparison.Ordinal);
        var status = await harness.StatusAsync("unlucky");
        Assert.Equal(1, status.State.ConsecutiveFailures);
        Assert.Contains("simulated storage failure", status.State.LastError, StringComparison.Ordinal);
        Assert.Equal(harness.App.Time.GetUtcNow().AddMinutes(15), status.State.NextPoll);
        Assert.DoesNotContain("unlucky", await harness.Store.ClaimDueAsync("test", harness.App.Time.GetUtcNow(), TimeSpan.FromMinutes(1), 100, CancellationToken.None));
    }

    [Fact]
    public async Task Poll_ManyFailuresOnALongInterval_BackoffStaysAtTheCap()
    {
        using var app = PartnerHarness.With(new() { ["Partners:MaxPollDelay"] = "30.00:00:00" });
        app.Serve("/monthly.rss", Response.Create().WithStatusCode(404));
        await app.Store.AddAsync(new Partner { Id = "monthly", Name = "Monthly", Url = app.UrlOf("/monthly.rss"), PollInterval = TimeSpan.FromDays(30) },
            app.App.Time.GetUtcNow(), CancellationToken.None);

        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(PollOutcome.Failed, (await app.Poller.PollAsync("monthly", CancellationToken.None)).Outcome);
        }

        var status = await app.StatusAsync("monthly");
        Assert.Equal(25, status.State.ConsecutiveFailures);
        Assert.Contains("404", status.State.LastError, StringComparison.Ordinal);
        Assert.Equal(app.App.Time.GetUtcNow().AddDays(30), status.State.NextPoll);
    }

    [Fact]
    public async Task CircuitBreaker_IsThePartnersConfiguredHosts_NotARedirectTargets()
    {
        using var app = PartnerHarness.With(new()
        {
            ["Partners:BreakerMinimumThroughput"] = "2",
            ["Partners:BreakerFailureRatio"] = "0.5",
            ["Partners:BreakerSamplingDuration"] = "00:01:00",
            ["Partners:BreakerBreakDuration"] = "00:01:00",
        });
        var port = new Uri(app.Server.Url!).Port;
        app.Serve("/hop.rss", Response.Create().WithStatusCode(302).WithHeader("Location", $"http://127.0.0.1:{port}/hop-failing.rss"));
        app.Serve("/hop-failing.rss", Response.Create().WithStatusCode(500));
        app.ServeFeed("/direct.rss", Feed);
        await app.Store.AddAsync(new Partner { Id = "hopper", Name = "Hopper", Url = $"http://localhost:{port}/hop.rss" }, app.App.Time.GetUtcNow(), CancellationToken.None);
        await app.Store.AddAsync(new Partner { Id = "direct", Name = "Direct", Url = $"http://127.0.0.1:{port}/direct.rss" }, app.App.Time.GetUtcNow(), CancellationToken.None);

        var hopper = await app.Poller.PollAsync("hopper", CancellationToken.None);
        var direct = await app.Poller.PollAsync("direct", CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, hopper.Outcome);
        Assert.Equal(PollOutcome.Updated, direct.Outcome); // the hop's host is not the hopper's breaker
    }
}
