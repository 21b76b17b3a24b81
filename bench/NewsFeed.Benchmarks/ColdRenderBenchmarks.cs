using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Feeds;
using NewsFeed.Partners;
using NewsFeed.Site;
using NewsFeed.Storage;
using Perfolizer.Horology;

namespace NewsFeed.Benchmarks;

/// <summary>
/// The cold path: one 50-item feed rendered from the store, as a request that misses the cache renders
/// it: the real <see cref="FeedRenderer"/> on a <see cref="SqliteArticleStore"/> over a real file, store
/// queries included, with no <see cref="FeedCache"/> in front. The latest feed walks
/// <c>ix_articles_newest</c>; a section feed walks <c>ix_terms_newest</c> and joins the articles.
/// The store files are made by <c>generate</c> (bench/run does it) in <c>NEWSFEED_BENCH_DATA</c>.
/// </summary>
[Config(typeof(ColdRenderConfig))]
public class ColdRenderBenchmarks
{
    private SqliteArticleStore _store = null!;
    private SqlitePartnerStore _partners = null!;
    private ServiceProvider _services = null!;
    private FeedRenderer _renderer = null!;

    [Params(1_000, 100_000, 1_000_000)]
    public int Articles { get; set; }

    /// <summary>The feed format, by its extension (the type of the format is internal to the app).</summary>
    [Params("rss", "atom", "json")]
    public string Format { get; set; } = "rss";

    [GlobalSetup]
    public void Setup()
    {
        var path = StorePath(Articles);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No store of {Articles} articles; run `NewsFeed.Benchmarks generate {Articles} {path}` (bench/run does).", path);
        }
        var file = new SqliteFile(path);
        SqliteSchema.MigrateAsync(file, CancellationToken.None).GetAwaiter().GetResult();
        _store = new SqliteArticleStore(file);
        _store.CatchUpAsync(CancellationToken.None).GetAwaiter().GetResult();
        _partners = new SqlitePartnerStore(file);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var site = Options.Create(new SiteOptions());
        _renderer = new FeedRenderer(
            new FeedPageReader(_store, _partners, site, Options.Create(new PartnerOptions()), Options.Create(new FeedOptions { DefaultLimit = 50 })),
            TimeProvider.System,
            site,
            Options.Create(new FeedOptions { DefaultLimit = 50 }),
            new FeedHubs(["https://pubsubhubbub.appspot.com/"]),
            new FeedMetrics(_services.GetRequiredService<IMeterFactory>()),
            NullLogger<FeedRenderer>.Instance);
        // A render that finds nothing would be fast and wrong.
        foreach (var key in new[] { LatestKey, SectionKey })
        {
            var feed = _renderer.RenderAsync(key, 0, CancellationToken.None).GetAwaiter().GetResult()
                ?? throw new InvalidOperationException($"{key} rendered nothing.");
            if (feed.Identity.Body.Length < 50 * 2_000) throw new InvalidOperationException($"{key} is only {feed.Identity.Body.Length} bytes.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _partners.Dispose();
        _services.Dispose();
    }

    [Benchmark(Description = "latest")]
    public Task Latest() => _renderer.RenderAsync(LatestKey, 0, CancellationToken.None);

    [Benchmark(Description = "section")]
    public Task Section() => _renderer.RenderAsync(SectionKey, 0, CancellationToken.None);

    public static string StorePath(long articles) =>
        Path.Combine(Environment.GetEnvironmentVariable("NEWSFEED_BENCH_DATA") ?? Path.Combine("bench", ".data"), $"articles-v2-{articles}.db"); // bench/run names them alike

    private FeedFormat FeedFormat => FeedFormats.TryParse(Format, out var format) ? format : throw new InvalidOperationException($"No format {Format}.");

    private FeedKey LatestKey => new(FeedKind.Latest, null, FeedFormat, 50, 1);

    private FeedKey SectionKey => new(FeedKind.Section, SyntheticArticles.BenchSection, FeedFormat, 50, 1);
}

/// <summary>
/// In process (no generated project to build per run), a short but steady job: each iteration runs
/// about a quarter of a second of renders, and the median of 15 is reported with its allocations.
/// </summary>
public sealed class ColdRenderConfig : ManualConfig
{
    public ColdRenderConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(250)));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
    }
}
