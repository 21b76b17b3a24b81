using System.Net;
using NewsFeed.Tests.Storage;
using static NewsFeed.Tests.Readers.ReadersTestApp;

namespace NewsFeed.Tests.Readers;

/// <summary>Circulation per feed from recorded User-Agents, on both engines: dedupe rules, direct readers across a day boundary, and nothing identifying in the store.</summary>
public sealed class ReaderCountingTests
{
    private const string Feedly462 = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; )";
    private const string Feedly470 = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 470 subscribers; )";
    private const string Inoreader = "Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)";
    private const string FeedbinA = "Feedbin feed-id:1697787 - 102 subscribers";
    private const string FeedbinA2 = "Feedbin feed-id:1697787 - 101 subscribers";
    private const string FeedbinB = "Feedbin feed-id:1697788 - 3 subscribers";
    private const string OldReader = "Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=cead6c3a837650eeefd8fe4a)";
    private const string NewsBlur = "NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/rendezvous-with-cassidoo (\"Mozilla/5.0\")";
    private const string BazQux = "Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 1 subscribers)";
    private const string NetNewsWire = "NetNewsWire (RSS Reader; https://netnewswire.com/)";
    private const string Reeder = "Reeder/5050.0 CFNetwork/1494.0.7 Darwin/23.4.0";
    private const string Miniflux = "Mozilla/5.0 (compatible; Miniflux/2.0.51; +https://miniflux.app)";
    private const string Feedspot = "Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)";
    private const string Googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    [Theory, OnSqlite, OnPostgres]
    public async Task RecordedReaders_CountCirculationPerFeed_WithTheDedupeRules(StoreEngine engine)
    {
        await using var store = engine == StoreEngine.Postgres ? await TestStore.CreateAsync(engine) : null;
        using var app = Create(engine, store);
        using var client = app.CreateClient();

        // Every format of one feed is one feed.
        Assert.Equal(HttpStatusCode.OK, await PollAsync(client, "/feeds/latest.rss", Feedly462, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await PollAsync(client, "/feeds/latest.atom", Inoreader, "198.51.100.2"));
        Assert.Equal(HttpStatusCode.OK, await PollAsync(client, "/feeds/latest.json", FeedbinA, "198.51.100.3"));
        await PollAsync(client, "/feeds/latest.rss", FeedbinB, "198.51.100.3");
        await PollAsync(client, "/feeds/latest.rss", OldReader, "198.51.100.4");
        await PollAsync(client, "/feeds/latest.rss", NewsBlur, "198.51.100.5");
        await PollAsync(client, "/feeds/latest.atom", BazQux, "198.51.100.6");
        // Later reports of the same aggregator (and feed-id) replace the earlier ones: the latest of the day counts.
        app.Time.Advance(TimeSpan.FromMinutes(30));
        await PollAsync(client, "/feeds/latest.rss", Feedly470, "198.51.100.7");
        await PollAsync(client, "/feeds/latest.json", FeedbinA2, "198.51.100.3");
        // Direct readers: distinct (address, User-Agent) pairs, repeats counted once; an aggregator stating no count is one reader; bots none.
        await PollAsync(client, "/feeds/latest.rss", NetNewsWire, "203.0.113.10");
        await PollAsync(client, "/feeds/latest.atom", NetNewsWire, "203.0.113.10");
        await PollAsync(client, "/feeds/latest.rss", NetNewsWire, "203.0.113.11");
        await PollAsync(client, "/feeds/latest.rss", Reeder, "203.0.113.10");
        await PollAsync(client, "/feeds/latest.rss", Miniflux, "2001:db8::42");
        await PollAsync(client, "/feeds/latest.rss", Feedspot, "192.0.2.9");
        await PollAsync(client, "/feeds/latest.rss", Googlebot, "192.0.2.10");
        // Another feed is counted apart.
        await PollAsync(client, "/feeds/sections/world.rss", Feedly462, "198.51.100.1");
        // Archives are not counted.
        await PollAsync(client, "/feeds/latest/archive/2026-11.rss", Feedly470, "198.51.100.1");
        await FlushAsync(app);

        var stats = await StatsAsync(app);
        var latest = Feed(stats, "latest");
        Assert.Equal(470, Subscribers(latest, "Feedly", "aggregator"));
        Assert.Equal(114, Subscribers(latest, "Inoreader", "aggregator"));
        Assert.Equal(104, Subscribers(latest, "Feedbin", "aggregator"));
        Assert.Equal(1, Subscribers(latest, "The Old Reader", "aggregator"));
        Assert.Equal(27, Subscribers(latest, "NewsBlur", "aggregator"));
        Assert.Equal(1, Subscribers(latest, "BazQux", "aggregator"));
        Assert.Equal(2, Subscribers(latest, "NetNewsWire", "direct"));
        Assert.Equal(1, Subscribers(latest, "Reeder", "direct"));
        Assert.Equal(1, Subscribers(latest, "Miniflux", "direct"));
        Assert.Equal(1, Subscribers(latest, "Feedspot", "direct"));
        Assert.Equal(0, Subscribers(latest, "Googlebot", "direct"));
        Assert.Equal(470 + 114 + 104 + 1 + 27 + 1 + 2 + 1 + 1 + 1, (long)latest["circulation"]!);
        Assert.Equal(16, (long)latest["requests"]!);
        var today = latest["daily"]!.AsArray().Single()!;
        Assert.Equal("2026-11-24", (string?)today["date"]);
        Assert.Equal(717, (long)today["aggregatorSubscribers"]!);
        Assert.Equal(5, (long)today["directReaders"]!);
        Assert.Equal(462, (long)Feed(stats, "sections/world")["circulation"]!);
        Assert.DoesNotContain(stats["feeds"]!.AsArray(), node => ((string?)node!["feed"])!.Contains("archive", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NotModified_IsCountedWithItsShareAndBytes(StoreEngine engine)
    {
        await using var store = engine == StoreEngine.Postgres ? await TestStore.CreateAsync(engine) : null;
        using var app = Create(engine, store);
        using var client = app.CreateClient();
        using var first = await client.GetAsync("/feeds/tags/climate.rss");
        var etag = first.Headers.ETag!.Tag;
        var length = first.Content.Headers.ContentLength!.Value;

        Assert.Equal(HttpStatusCode.NotModified, await PollAsync(client, "/feeds/tags/climate.rss", NetNewsWire, "203.0.113.10", etag));
        Assert.Equal(HttpStatusCode.NotModified, await PollAsync(client, "/feeds/tags/climate.rss", NetNewsWire, "203.0.113.10", etag));
        Assert.Equal(HttpStatusCode.OK, await PollAsync(client, "/feeds/tags/climate.rss", NetNewsWire, "203.0.113.10"));
        await FlushAsync(app);

        var feed = Feed(await StatsAsync(app), "tags/climate");
        Assert.Equal(4, (long)feed["requests"]!);
        Assert.Equal(2, (long)feed["notModified"]!);
        Assert.Equal(0.5, (double)feed["notModifiedShare"]!);
        Assert.Equal(2 * length, (long)feed["bytes"]!);
    }
}
