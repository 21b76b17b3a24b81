using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NewsFeed.Articles;
using NewsFeed.Feeds;
using NewsFeed.Storage;
using static NewsFeed.Tests.Feeds.FeedCacheTests;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// Cold renders are admitted a few at a time (<see cref="RenderAdmission"/>): cached feeds never wait behind
/// them, and a render that cannot start (queue full, queue timeout, memory short) is refused with 503.
/// </summary>
public sealed class FeedAdmissionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RenderHeldOpen_CachedFeedAnswersAtOnce_AndTheColdRequestPastTheQueueGets503()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var test = new AdmissionApp(gate.Task, new()
        {
            ["Feeds:MaxConcurrentRenders"] = "1",
            ["Feeds:RenderQueueLimit"] = "1",
        });
        using var client = test.App.CreateClient();
        using var warm = await client.GetAsync("/feeds/sections/world.rss");
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        test.Store.Gated = true;
        var running = client.GetAsync("/feeds/latest.rss");
        await Eventually.WaitUntilAsync(() => test.Admission.Statistics.CurrentAvailablePermits == 0, Deadline, () => "the first cold render never started");
        var queued = client.GetAsync("/feeds/sections/business.atom");
        await Eventually.WaitUntilAsync(() => test.Admission.Statistics.CurrentQueuedCount == 1, Deadline, () => "the second cold render never queued");
        // Another request for the running variant joins its render: it takes no place in the queue.
        var joined = client.GetAsync("/feeds/latest.rss");

        // The render is held open, the queue is full, and the cached feed still answers.
        using var cached = await client.GetAsync("/feeds/sections/world.rss");
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(warm.Headers.ETag, cached.Headers.ETag);

        // One render running + one queued: the third distinct cold variant is refused at once.
        using var refused = await client.GetAsync("/feeds/sections/technology.json");
        await AssertRefusedAsync(refused);
        Assert.False(running.IsCompleted || queued.IsCompleted || joined.IsCompleted, "the held renders answered before the gate opened");
        Assert.Equal([("queue_full", 1L)], test.Refusals());

        gate.SetResult();
        foreach (var response in await Task.WhenAll(running, queued, joined))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        Assert.Equal(2, test.Store.GatedQueries);
        // With the renders done, the refused variant renders too.
        using var retried = await client.GetAsync("/feeds/sections/technology.json");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Fact]
    public async Task QueuedRender_WaitsPastQueueTimeout_Gets503()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var test = new AdmissionApp(gate.Task, new()
        {
            ["Feeds:MaxConcurrentRenders"] = "1",
            ["Feeds:RenderQueueLimit"] = "4",
            ["Feeds:RenderQueueTimeout"] = "00:00:10",
        });
        using var client = test.App.CreateClient();
        test.Store.Gated = true;
        var running = client.GetAsync("/feeds/latest.rss");
        await Eventually.WaitUntilAsync(() => test.Admission.Statistics.CurrentAvailablePermits == 0, Deadline, () => "the first cold render never started");
        var queued = client.GetAsync("/feeds/sections/business.atom");
        await Eventually.WaitUntilAsync(() => test.Admission.Statistics.CurrentQueuedCount == 1, Deadline, () => "the second cold render never queued");

        test.App.Time.Advance(TimeSpan.FromSeconds(10));

        using (var timedOut = await queued)
        {
            await AssertRefusedAsync(timedOut);
        }
        Assert.Equal([("queue_timeout", 1L)], test.Refusals());
        gate.SetResult();
        using var done = await running;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    [Fact]
    public async Task MemoryShort_ColdFeedGets503_CachedFeedsAnswer_AndAnOlderCopyIsServed()
    {
        var memory = new SettableMemoryLoad();
        await using var test = new AdmissionApp(Task.CompletedTask, new() { ["Feeds:MaxMemoryLoadPercent"] = "80" }, memory);
        using var client = test.App.CreateClient();
        var meters = test.App.Services.GetRequiredService<IMeterFactory>();
        using var stale = new MetricCollector<long>(meters, NewsFeedMeter.Name, "newsfeed.feed.cache.stale_served");
        using var before = await client.GetAsync("/feeds/latest.atom");
        using var warm = await client.GetAsync("/feeds/sections/world.rss");

        memory.Value = 80;

        using var cold = await client.GetAsync("/feeds/sections/culture.json");
        await AssertRefusedAsync(cold);
        Assert.Contains("memory", await cold.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var cached = await client.GetAsync("/feeds/sections/world.rss");
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        // The embargoed article lifts: latest needs a new render, which memory does not allow; the copy held is served.
        test.App.Time.Advance(TimeSpan.FromDays(60));
        using var older = await client.GetAsync("/feeds/latest.atom");
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(before.Headers.ETag, older.Headers.ETag);
        Assert.Equal([("memory", 2L)], test.Refusals());
        Assert.Contains(stale.GetMeasurementSnapshot(), m => m.Tags["cause"] as string == "render_refused");

        memory.Value = 40;
        using var current = await client.GetAsync("/feeds/latest.atom");
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.NotEqual(before.Headers.ETag, current.Headers.ETag);
        using var rendered = await client.GetAsync("/feeds/sections/culture.json");
        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
    }

    [Fact]
    public async Task MemoryShort_BrowserViewNotHeld_Gets503()
    {
        var memory = new SettableMemoryLoad();
        await using var test = new AdmissionApp(Task.CompletedTask, [], memory);
        using var client = test.App.CreateClient();
        using var feed = await client.GetAsync("/feeds/sections/world.rss");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);

        memory.Value = 99;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/sections/world.rss");
        request.Headers.Add("Sec-Fetch-Dest", "document");
        using var view = await client.SendAsync(request);

        await AssertRefusedAsync(view);
    }

    /// <summary>A deliberate refusal: 503, Retry-After, a problem document, nothing for a cache to keep.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("Try again in 5 seconds", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The app on a store whose feed queries wait for <c>gate</c> while gated, with the refusals it counts.</summary>
    private sealed class AdmissionApp : IAsyncDisposable
    {
        private readonly MetricCollector<long> _refusals;

        public AdmissionApp(Task gate, Dictionary<string, string?> settings, MemoryLoad? memory = null)
        {
            App = new NewsFeedApp
            {
                Settings = settings,
                TestServices = services =>
                {
                    services.AddSingleton<IArticleStore>(sp => Store = new GatedStore(new SqliteArticleStore(sp.GetRequiredService<SqliteFile>()), gate));
                    if (memory is not null) services.AddSingleton(memory);
                },
            };
            _refusals = new MetricCollector<long>(App.Services.GetRequiredService<IMeterFactory>(), NewsFeedMeter.Name, "newsfeed.feed.render.refused");
            Admission = App.Services.GetRequiredService<RenderAdmission>();
        }

        public NewsFeedApp App { get; }

        public GatedStore Store { get; private set; } = null!;

        internal RenderAdmission Admission { get; }

        /// <summary>Refused requests by reason.</summary>
        public (string Reason, long Count)[] Refusals() =>
            [.. _refusals.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags["reason"]!).Select(g => (g.Key, g.Sum(m => m.Value)))];

        public ValueTask DisposeAsync()
        {
            _refusals.Dispose();
            App.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Memory load as the test sets it, so memory is short without exhausting it.</summary>
    private sealed class SettableMemoryLoad : MemoryLoad
    {
        public int Value { get; set; }

        public override double Percent() => Value;

        public override void Refused()
        {
        }
    }
}
