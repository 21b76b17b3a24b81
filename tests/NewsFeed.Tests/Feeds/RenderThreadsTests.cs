using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Feeds;
using NewsFeed.Storage;
using static NewsFeed.Tests.Feeds.FeedCacheTests;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// Cold renders run on threads of their own (<see cref="RenderThreads"/>), never more than
/// <c>Feeds:MaxConcurrentRenders</c>, so the thread pool stays with the requests.
/// </summary>
public sealed class RenderThreadsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_RunsTheRenderOnARenderThread_NotOnThePool()
    {
        using var threads = NewThreads(2);

        var (onRenderThread, onPool, name) = await threads.Run(() => (threads.IsRenderThread, Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));

        Assert.True(onRenderThread);
        Assert.False(onPool);
        Assert.StartsWith("NewsFeed render", name);
    }

    [Fact]
    public async Task Run_AnAsyncRender_ContinuesOnRenderThreads_AfterItsAwaits()
    {
        using var threads = NewThreads(2);
        var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var render = threads.Run(async () =>
        {
            var before = threads.IsRenderThread;
            // As a PostgreSQL read does: the await completes on another thread.
            await read.Task;
            await Task.Yield();
            return (before, after: threads.IsRenderThread, pool: Thread.CurrentThread.IsThreadPoolThread);
        });
        await Task.Run(read.SetResult);

        Assert.Equal((true, true, false), await render.WaitAsync(Deadline));
    }

    [Fact]
    public async Task ManyRenders_NeverMoreThreadsThanTheLimit_AndTheRestWaitTheirTurn()
    {
        using var threads = NewThreads(2);
        using var gate = new ManualResetEventSlim();
        int running = 0, peak = 0;

        var renders = Enumerable.Range(0, 6).Select(i => threads.Run(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            // A render blocks its thread, as a SQLite read does.
            gate.Wait(Deadline);
            Interlocked.Decrement(ref running);
            return i;
        })).ToArray();
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref running) == 2, Deadline, () => "two renders never ran at once");
        // Give a third thread every chance to appear, were there one to appear.
        await Task.Delay(100);
        Assert.Equal(2, Volatile.Read(ref running));
        Assert.Equal(2, threads.Started);

        gate.Set();
        var done = await Task.WhenAll(renders).WaitAsync(Deadline);
        Assert.Equal([0, 1, 2, 3, 4, 5], done);
        Assert.Equal(2, peak);
        Assert.Equal(2, threads.Started);
    }

    [Fact]
    public async Task AfterDispose_ARenderStillRuns_OnThePool()
    {
        var threads = NewThreads(1);
        Assert.True(await threads.Run(() => threads.IsRenderThread));
        threads.Dispose();

        var (onRenderThread, onPool) = await threads.Run(() => (threads.IsRenderThread, Thread.CurrentThread.IsThreadPoolThread)).WaitAsync(Deadline);

        Assert.False(onRenderThread);
        Assert.True(onPool);
    }

    [Fact]
    public async Task ColdFeedRequest_ReadsItsPageOnARenderThread()
    {
        GatedStore? store = null;
        using var app = new NewsFeedApp
        {
            TestServices = services => services.AddSingleton<IArticleStore>(sp => store = new GatedStore(new SqliteArticleStore(sp.GetRequiredService<SqliteFile>()), Task.CompletedTask)),
        };
        using var client = app.CreateClient();

        using var cold = await client.GetAsync("/feeds/sections/world.rss");
        using var cached = await client.GetAsync("/feeds/sections/world.rss");

        Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.NotEmpty(store!.PageReadThreads);
        Assert.All(store.PageReadThreads, name => Assert.StartsWith("NewsFeed render", name));
        Assert.True(app.Services.GetRequiredService<RenderThreads>().Started >= 1);
    }

    private static RenderThreads NewThreads(int max) => new(Options.Create(new FeedOptions { MaxConcurrentRenders = max }));

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
