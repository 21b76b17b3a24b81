using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NewsFeed.Articles;
using NewsFeed.Storage;

namespace NewsFeed.Tests.Feeds;

public sealed class FeedCacheTests
{
    [Fact]
    public async Task ConcurrentRequests_ColdFeed_RenderOnce()
    {
        const int requests = 40;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        GatedStore? store = null;
        using var app = new NewsFeedApp
        {
            TestServices = services => services.AddSingleton<IArticleStore>(sp =>
                store = new GatedStore(new SqliteArticleStore(sp.GetRequiredService<SqliteFile>()), gate.Task)),
        };
        using var client = app.CreateClient();
        var meters = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var renders = new MetricCollector<long>(meters, NewsFeedMeter.Name, "newsfeed.feed.renders");
        using var misses = new MetricCollector<long>(meters, NewsFeedMeter.Name, "newsfeed.feed.cache.misses");
        store!.Gated = true;

        var responses = Enumerable.Range(0, requests).Select(_ => client.GetAsync("/feeds/sections/world.rss")).ToList();
        // Every request has missed the cache and is waiting on the one render before it may finish.
        await misses.WaitForMeasurementsAsync(requests, TimeSpan.FromSeconds(30));
        gate.SetResult();
        var done = await Task.WhenAll(responses);

        Assert.All(done, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(done.Select(r => r.Headers.ETag!.Tag).Distinct());
        Assert.Equal(1, renders.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, store.GatedQueries);
        foreach (var response in done) response.Dispose();
    }

    [Fact]
    public async Task StoreUnavailable_CachedFeedIsStillServed_AsItWas()
    {
        GatedStore? store = null;
        using var app = new NewsFeedApp
        {
            TestServices = services => services.AddSingleton<IArticleStore>(sp =>
                store = new GatedStore(new SqliteArticleStore(sp.GetRequiredService<SqliteFile>()), Task.CompletedTask)),
        };
        using var client = app.CreateClient();
        var meters = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var stale = new MetricCollector<long>(meters, NewsFeedMeter.Name, "newsfeed.feed.cache.stale_served");
        using var cached = await client.GetAsync("/feeds/sections/world.rss");
        var body = await cached.Content.ReadAsStringAsync();

        // The store cannot even say which version is current (an instance on PostgreSQL that lost its
        // notifications while the database is down): the copy held is served, stale-if-error.
        store!.Unavailable = true;
        using var during = await client.GetAsync("/feeds/sections/world.rss");

        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        Assert.Equal(cached.Headers.ETag, during.Headers.ETag);
        Assert.Equal(body, await during.Content.ReadAsStringAsync());
        Assert.Equal(1, stale.GetMeasurementSnapshot().EvaluateAsCounter());
        // A feed never rendered has no copy: the store's failure is the answer (never a partial feed).
        using var uncached = await client.GetAsync("/feeds/sections/science.rss");
        Assert.NotEqual(HttpStatusCode.OK, uncached.StatusCode);
    }

    /// <summary>Holds feed queries until the test opens the gate, so concurrency is certain, not timed.</summary>
    internal sealed class GatedStore(IArticleStore inner, Task gate) : IArticleStore
    {
        private int _gatedQueries;

        public bool Gated { get; set; }

        /// <summary>Every call fails as a database that cannot be reached does.</summary>
        public bool Unavailable { get; set; }

        public int GatedQueries => _gatedQueries;

        /// <summary>The name of the thread each page read started on.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string?> PageReadThreads { get; } = new();

        public ValueTask<long> VersionOfAsync(TermRef? term, CancellationToken cancellationToken) =>
            Unavailable ? ValueTask.FromException<long>(new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14)) : inner.VersionOfAsync(term, cancellationToken);

        public Task<bool> CatchUpAsync(CancellationToken cancellationToken) => inner.CatchUpAsync(cancellationToken);

        public Task<IReadOnlyList<Article>> AnnounceLiftsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.AnnounceLiftsAsync(now, cancellationToken);

        public Task<UpsertResult?> CreateAsync(Article article, CancellationToken cancellationToken) => inner.CreateAsync(article, cancellationToken);

        public Task<IReadOnlyList<Article>> ListAsync(ArticleStatus? status, int offset, int count, CancellationToken cancellationToken) =>
            inner.ListAsync(status, offset, count, cancellationToken);

        public async IAsyncEnumerable<KeyedRow<Article>> ReadNewestAsync(TermRef? term, DateTimeOffset now, RowKey before, int count,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            PageReadThreads.Enqueue(Thread.CurrentThread.Name);
            if (Unavailable) throw new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14);
            if (Gated)
            {
                Interlocked.Increment(ref _gatedQueries);
                await gate;
            }
            await foreach (var row in inner.ReadNewestAsync(term, now, before, count, cancellationToken)) yield return row;
        }

        public IAsyncEnumerable<KeyedRow<Article>> ReadArchivedAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, RowKey before, int count, CancellationToken cancellationToken) =>
            inner.ReadArchivedAsync(term, now, from, before, count, cancellationToken);

        public Task<Article?> GetAtAsync(RowKey key, CancellationToken cancellationToken) => inner.GetAtAsync(key, cancellationToken);

        public Task<DateTimeOffset?> GetPendingLiftAsync(DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.GetPendingLiftAsync(now, from, to, cancellationToken);

        public Task<DateTimeOffset?> GetNewestPublishedBeforeAsync(TermRef? term, DateTimeOffset now, DateTimeOffset before, CancellationToken cancellationToken) =>
            Unavailable ? throw new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14) : inner.GetNewestPublishedBeforeAsync(term, now, before, cancellationToken);

        public Task<DateTimeOffset?> GetOldestPublishedFromAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, CancellationToken cancellationToken) =>
            inner.GetOldestPublishedFromAsync(term, now, from, cancellationToken);

        public IAsyncEnumerable<RowKey> ReadNewestKeysAsync(TermRef? term, DateTimeOffset now, int count, CancellationToken cancellationToken) =>
            inner.ReadNewestKeysAsync(term, now, count, cancellationToken);

        public Task<string?> FindTermNameAsync(TermRef term, DateTimeOffset now, CancellationToken cancellationToken) => inner.FindTermNameAsync(term, now, cancellationToken);

        public Task<IReadOnlyList<TermSummary>> ListTermsAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.ListTermsAsync(now, cancellationToken);

        public Task<DateTimeOffset?> GetNextEmbargoLiftAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.GetNextEmbargoLiftAsync(now, cancellationToken);

        public Task<DateTimeOffset?> GetFeedChangedAtAsync(TermRef? term, CancellationToken cancellationToken) => inner.GetFeedChangedAtAsync(term, cancellationToken);

        public Task<Article?> GetAsync(Guid id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<UpsertResult> UpsertAsync(Article article, CancellationToken cancellationToken) => inner.UpsertAsync(article, cancellationToken);

        public Task<UpsertResult> UpsertAsync(Article article, bool announce, CancellationToken cancellationToken) => inner.UpsertAsync(article, announce, cancellationToken);

        public Task<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);
    }
}
