using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NewsFeed.Partners;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

/// <summary>The poller against a partner that answers with WireMock.Net: retries, Retry-After, redirects, validators, schedule.</summary>
public sealed class PartnerPollerTests(PartnerHarness harness) : IClassFixture<PartnerHarness>
{
    private static readonly string Feed = PartnerHarness.Fixture("harbor-gazette.rss");

    [Fact]
    public async Task Poll_Three503sThen200_OneSuccessfulPollWithFourAttempts()
    {
        const string path = "/flaky.rss";
        await harness.AddPartnerAsync("flaky", path);
        harness.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WillSetStateTo("1")
            .RespondWith(Response.Create().WithStatusCode(503));
        harness.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WhenStateIs("1").WillSetStateTo("2")
            .RespondWith(Response.Create().WithStatusCode(503));
        harness.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WhenStateIs("2").WillSetStateTo("3")
            .RespondWith(Response.Create().WithStatusCode(503));
        harness.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WhenStateIs("3")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/rss+xml").WithBody(Feed));

        var result = await harness.Poller.PollAsync("flaky", CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        Assert.Equal(4, harness.RequestsTo(path));
        var status = await harness.StatusAsync("flaky");
        Assert.Equal(3, status.ItemCount);
        Assert.Equal(0, status.State.ConsecutiveFailures);
        Assert.Equal(harness.App.Time.GetUtcNow(), status.State.LastSuccess);
    }

    [Fact]
    public async Task Poll_503Forever_FailsWithReasonAndKeepsItems()
    {
        const string path = "/down.rss";
        await harness.AddPartnerAsync("down", path);
        harness.ServeFeed(path, Feed);
        await harness.Poller.PollAsync("down", CancellationToken.None);
        var before = await harness.KeysAsync("down");
        harness.Serve(path, Response.Create().WithStatusCode(503));

        var result = await harness.Poller.PollAsync("down", CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains("503", result.Error, StringComparison.Ordinal);
        Assert.Equal(1 + 4, harness.RequestsTo(path)); // the good poll, then 1 attempt + 3 retries
        var status = await harness.StatusAsync("down");
        Assert.Equal(1, status.State.ConsecutiveFailures);
        Assert.Contains("503", status.State.LastError, StringComparison.Ordinal);
        Assert.True(status.Partner.Enabled, "a transient error never disables a partner");
        Assert.Equal(before, await harness.KeysAsync("down"));
    }

    [Fact]
    public async Task Poll_429WithShortRetryAfter_WaitsThenSucceeds()
    {
        const string path = "/busy.rss";
        await harness.AddPartnerAsync("busy", path);
        harness.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("busy").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        harness.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("busy").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Feed));

        var watch = Stopwatch.StartNew();
        var result = await harness.Poller.PollAsync("busy", CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        Assert.Equal(2, harness.RequestsTo(path));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"Retry-After honoured: {watch.Elapsed}");
        var log = harness.Server.LogEntries.Where(e => e.RequestMessage.Path == path).Select(e => e.RequestMessage.DateTime).ToList();
        Assert.True(log[1] - log[0] >= TimeSpan.FromSeconds(0.95), $"second attempt after Retry-After: {log[1] - log[0]}");
    }

    [Fact]
    public async Task Poll_429WithRetryAfterBeyondCap_EndsAtOnceAndSchedulesPastIt()
    {
        const string path = "/slow-down.rss";
        await harness.AddPartnerAsync("slow-down", path);
        harness.Serve(path, Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3600"));

        var watch = Stopwatch.StartNew();
        var result = await harness.Poller.PollAsync("slow-down", CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"no sleeping inside the poll: {watch.Elapsed}");
        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Equal(1, harness.RequestsTo(path));
        var status = await harness.StatusAsync("slow-down");
        Assert.Contains("429", status.State.LastError, StringComparison.Ordinal);
        Assert.True(status.State.NextPoll >= harness.App.Time.GetUtcNow().AddSeconds(3600), $"next poll {status.State.NextPoll}");
        Assert.True(status.Partner.Enabled);
    }

    [Fact]
    public async Task Poll_503WithRetryAfterDate_SchedulesPastIt()
    {
        const string path = "/maintenance.rss";
        await harness.AddPartnerAsync("maintenance", path);
        var date = DateTimeOffset.UtcNow.AddHours(2);
        harness.Serve(path, Response.Create().WithStatusCode(503).WithHeader("Retry-After", date.ToString("r", System.Globalization.CultureInfo.InvariantCulture)));

        var result = await harness.Poller.PollAsync("maintenance", CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Equal(1, harness.RequestsTo(path));
        var status = await harness.StatusAsync("maintenance");
        Assert.True(status.State.NextPoll >= harness.App.Time.GetUtcNow().AddMinutes(119), $"next poll {status.State.NextPoll}");
    }

    [Fact]
    public async Task Poll_410_StopsPollingAndKeepsItems()
    {
        const string path = "/gone.rss";
        await harness.AddPartnerAsync("gone", path);
        harness.ServeFeed(path, Feed);
        await harness.Poller.PollAsync("gone", CancellationToken.None);
        harness.Serve(path, Response.Create().WithStatusCode(410));

        var result = await harness.Poller.PollAsync("gone", CancellationToken.None);

        Assert.Equal(PollOutcome.Gone, result.Outcome);
        var status = await harness.StatusAsync("gone");
        Assert.False(status.Partner.Enabled);
        Assert.Contains("410", status.State.DisabledReason, StringComparison.Ordinal);
        Assert.Equal(3, status.ItemCount);
        harness.App.Time.Advance(TimeSpan.FromDays(1));
        Assert.DoesNotContain("gone", await harness.Store.ClaimDueAsync("test", harness.App.Time.GetUtcNow(), TimeSpan.FromMinutes(1), 100, CancellationToken.None));
    }

    [Fact]
    public async Task Poll_301_UpdatesStoredUrl()
    {
        await harness.AddPartnerAsync("moved", "/old-home.rss");
        harness.Serve("/old-home.rss", Response.Create().WithStatusCode(301).WithHeader("Location", "/new-home.rss"));
        harness.ServeFeed("/new-home.rss", Feed);

        var result = await harness.Poller.PollAsync("moved", CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        Assert.Equal(harness.UrlOf("/new-home.rss"), (await harness.StatusAsync("moved")).Partner.Url);
        await harness.Poller.PollAsync("moved", CancellationToken.None);
        Assert.Equal(1, harness.RequestsTo("/old-home.rss"));
        Assert.Equal(2, harness.RequestsTo("/new-home.rss"));
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task Poll_TemporaryRedirect_KeepsStoredUrl(int status)
    {
        var id = $"visiting-{status}";
        await harness.AddPartnerAsync(id, $"/home-{status}.rss");
        harness.Serve($"/home-{status}.rss", Response.Create().WithStatusCode(status).WithHeader("Location", harness.UrlOf($"/away-{status}.rss")));
        harness.ServeFeed($"/away-{status}.rss", Feed);

        var result = await harness.Poller.PollAsync(id, CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        Assert.Equal(harness.UrlOf($"/home-{status}.rss"), (await harness.StatusAsync(id)).Partner.Url);
    }

    [Fact]
    public async Task Poll_304_SendsValidatorsAndParsesNothing()
    {
        const string path = "/validators.rss";
        await harness.AddPartnerAsync("validators", path);
        harness.Serve(path, Response.Create().WithStatusCode(200).WithHeader("ETag", "\"v1\"").WithHeader("Last-Modified", "Tue, 24 Nov 2026 09:30:00 GMT").WithBody(Feed));
        await harness.Poller.PollAsync("validators", CancellationToken.None);
        var version = await harness.Store.VersionOfAsync("validators", CancellationToken.None);
        harness.Server.Given(Request.Create().WithPath(path).UsingGet().WithHeader("If-None-Match", "\"v1\""))
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(304).WithHeader("ETag", "\"v1\""));

        var result = await harness.Poller.PollAsync("validators", CancellationToken.None);

        Assert.Equal(PollOutcome.NotModified, result.Outcome);
        var conditional = harness.Server.LogEntries.Last(e => e.RequestMessage.Path == path).RequestMessage;
        Assert.Equal("Tue, 24 Nov 2026 09:30:00 GMT", string.Join(",", conditional.Headers!["If-Modified-Since"]));
        Assert.Equal(version, await harness.Store.VersionOfAsync("validators", CancellationToken.None));
        var state = (await harness.StatusAsync("validators")).State;
        Assert.Equal("\"v1\"", state.ETag);
        Assert.Equal(304, state.LastStatus);
        Assert.Equal(3, (await harness.StatusAsync("validators")).ItemCount);
    }

    [Fact]
    public async Task Poll_CacheControlMaxAge_PushesNextPollOutWithinBounds()
    {
        await harness.AddPartnerAsync("max-age", "/max-age.rss");
        harness.Serve("/max-age.rss", Response.Create().WithStatusCode(200).WithHeader("Cache-Control", "public, max-age=7200").WithBody(Feed));
        await harness.AddPartnerAsync("max-age-huge", "/max-age-huge.rss");
        harness.Serve("/max-age-huge.rss", Response.Create().WithStatusCode(200).WithHeader("Cache-Control", "max-age=31536000").WithBody(Feed));
        var now = harness.App.Time.GetUtcNow();

        await harness.Poller.PollAsync("max-age", CancellationToken.None);
        await harness.Poller.PollAsync("max-age-huge", CancellationToken.None);

        Assert.Equal(now.AddHours(2), (await harness.StatusAsync("max-age")).State.NextPoll);
        Assert.Equal(now.AddHours(6), (await harness.StatusAsync("max-age-huge")).State.NextPoll); // Partners:MaxPollDelay
    }

    [Fact]
    public async Task Poll_RepeatedFailures_BackoffGrowsToTheCapAndPollingGoesOn()
    {
        await harness.AddPartnerAsync("broken", "/broken.rss");
        harness.Serve("/broken.rss", Response.Create().WithStatusCode(404));
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            await harness.Poller.PollAsync("broken", CancellationToken.None);
            delays.Add((await harness.StatusAsync("broken")).State.NextPoll!.Value - harness.App.Time.GetUtcNow());
        }

        // Default interval 15 min: 15, 30, 60, 120, 240, then capped at Partners:MaxPollDelay (6 h).
        Assert.Equal([15, 30, 60, 120, 240, 360, 360], delays.Select(d => (int)d.TotalMinutes));
        var status = await harness.StatusAsync("broken");
        Assert.Equal(7, status.State.ConsecutiveFailures);
        Assert.True(status.Partner.Enabled);
    }

    [Fact]
    public async Task Poll_EditedItem_UpdatesInPlace_EmptyFeedKeepsItems_OverCapDropsOldest()
    {
        const string path = "/editing.rss";
        await harness.AddPartnerAsync("editing", path, itemCap: 3);
        harness.ServeFeed(path, PartnerHarness.Rss(("a", "First"), ("b", "Second")));
        await harness.Poller.PollAsync("editing", CancellationToken.None);

        harness.ServeFeed(path, PartnerHarness.Rss(("a", "First, corrected"), ("b", "Second")));
        var edited = await harness.Poller.PollAsync("editing", CancellationToken.None);
        Assert.Equal(PollOutcome.Updated, edited.Outcome);
        var items = await harness.Store.GetNewestAsync("editing", null, 10, CancellationToken.None);
        Assert.Equal(2, items.Count);
        Assert.Contains(items, i => i.Item.Title == "First, corrected");

        harness.ServeFeed(path, PartnerHarness.Rss(("a", "First, corrected"), ("b", "Second")));
        Assert.Equal(PollOutcome.Unchanged, (await harness.Poller.PollAsync("editing", CancellationToken.None)).Outcome);

        harness.ServeFeed(path, PartnerHarness.Rss());
        await harness.Poller.PollAsync("editing", CancellationToken.None);
        Assert.Equal(["a", "b"], await harness.KeysAsync("editing"));

        harness.App.Time.Advance(TimeSpan.FromMinutes(5));
        harness.ServeFeed(path, PartnerHarness.Rss(("c", "Third"), ("d", "Fourth")));
        await harness.Poller.PollAsync("editing", CancellationToken.None);
        Assert.Equal(3, (await harness.StatusAsync("editing")).ItemCount);
    }

    [Fact]
    public async Task Poll_SendsDescriptiveUserAgent()
    {
        await harness.AddPartnerAsync("polite", "/polite.rss");
        harness.ServeFeed("/polite.rss", Feed);

        await harness.Poller.PollAsync("polite", CancellationToken.None);

        var request = harness.Server.LogEntries.Last(e => e.RequestMessage.Path == "/polite.rss").RequestMessage;
        Assert.Equal("NewsFeed/1.0 (+http://localhost/)", request.Headers!["User-Agent"].Single());
    }

    [Fact]
    public async Task PollDue_PollsOnlyDuePartnersAndCountsOutcomes()
    {
        using var collector = new MetricCollector<long>(harness.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "NewsFeed", "newsfeed.partner.polls");
        await harness.AddPartnerAsync("due-ok", "/due-ok.rss");
        harness.ServeFeed("/due-ok.rss", Feed);
        await harness.AddPartnerAsync("due-bad", "/due-bad.rss");
        harness.Serve("/due-bad.rss", Response.Create().WithStatusCode(404));

        var results = await harness.Poller.PollDueAsync(CancellationToken.None);

        Assert.Contains(results, r => r.PartnerId == "due-ok" && r.Outcome == PollOutcome.Updated);
        Assert.Contains(results, r => r.PartnerId == "due-bad" && r.Outcome == PollOutcome.Failed);
        Assert.Contains(collector.GetMeasurementSnapshot(), m => (string?)m.Tags["outcome"] == "failed");
        Assert.Contains(collector.GetMeasurementSnapshot(), m => (string?)m.Tags["outcome"] == "updated");
        var again = await harness.Poller.PollDueAsync(CancellationToken.None);
        Assert.DoesNotContain(again, r => r.PartnerId is "due-ok" or "due-bad");
    }

    [Fact]
    public async Task Poll_WithJitter_NextPollsSpreadWithinTheJitterAndNeverEarlier()
    {
        using var jittery = PartnerHarness.With(new() { ["Partners:Jitter"] = "0.5" });
        var now = jittery.App.Time.GetUtcNow();
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var id = $"jitter-{i}";
            await jittery.AddPartnerAsync(id, "/jitter.rss");
            jittery.ServeFeed("/jitter.rss", Feed);
            await jittery.Poller.PollAsync(id, CancellationToken.None);
            delays.Add((await jittery.StatusAsync(id)).State.NextPoll!.Value - now);
        }

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(22.5)));
        Assert.True(delays.Distinct().Count() > 1, "partners polled together drift apart");
    }

    public static TheoryData<string> RecordedFiles => new(PartnerFeedsApp.Recorded.Select(r => r.File));

    [Theory]
    [MemberData(nameof(RecordedFiles))]
    public async Task Poll_RecordedPartnerDocument_StoredAndServedValidWithAttribution(string file)
    {
        var (partner, _, contentType) = PartnerFeedsApp.Recorded.Single(r => r.File == file);
        var path = "/recorded/" + file;
        await harness.AddPartnerAsync(partner.Id, path, name: partner.Name);
        harness.Serve(path, Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody(PartnerFeedsApp.RecordedBytes(file)));

        var result = await harness.Poller.PollAsync(partner.Id, CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        Assert.True(result.Status!.ItemCount > 0);
        var rss = await harness.Client.GetByteArrayAsync($"/feeds/partners/{partner.Id}.rss");
        Tests.Feeds.FeedAssert.ValidRss(rss);
        Assert.All(Tests.Feeds.FeedAssert.WellFormedXml(rss).Descendants("item"), item => Assert.Equal(partner.Name, (string?)item.Element("source")));
        Tests.Feeds.FeedAssert.ValidAtom(await harness.Client.GetByteArrayAsync($"/feeds/partners/{partner.Id}.atom"));
        Tests.Feeds.FeedAssert.ValidJsonFeed(await harness.Client.GetByteArrayAsync($"/feeds/partners/{partner.Id}.json"));
    }
}
