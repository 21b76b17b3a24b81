using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Storage;
using NewsFeed.Tests.Storage;
using Npgsql;
using static NewsFeed.Tests.Readers.ReadersTestApp;

namespace NewsFeed.Tests.Readers;

/// <summary>Direct readers per UTC day (FakeTimeProvider across midnight), the store holding no address or User-Agent, and two instances on one PostgreSQL.</summary>
public sealed class ReaderDaysTests
{
    private const string NetNewsWire = "NetNewsWire (RSS Reader; https://netnewswire.com/)";
    private const string Reeder = "Reeder/5050.0 CFNetwork/1494.0.7 Darwin/23.4.0 (reeder-client-3f9a)";
    private const string Feedly = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; )";
    private static readonly string[] Addresses = ["203.0.113.77", "203.0.113.78", "2001:db8:77::78"];

    [Theory, OnSqlite, OnPostgres]
    public async Task DirectReaders_DistinctAndRepeated_AreCountedPerDayAcrossMidnight(StoreEngine engine)
    {
        await using var store = engine == StoreEngine.Postgres ? await TestStore.CreateAsync(engine) : null;
        using var app = Create(engine, store);
        using var client = app.CreateClient();

        // Day one (2026-11-24): three clients, one of them three times; flushed twice, counted once.
        await PollAsync(client, "/feeds/latest.rss", NetNewsWire, Addresses[0]);
        await PollAsync(client, "/feeds/latest.rss", NetNewsWire, Addresses[1]);
        await FlushAsync(app);
        await PollAsync(client, "/feeds/latest.atom", NetNewsWire, Addresses[0]);
        await PollAsync(client, "/feeds/latest.rss", Reeder, Addresses[2]);
        await PollAsync(client, "/feeds/latest.rss", Reeder, Addresses[2]);
        await FlushAsync(app);
        Assert.Equal(3, await ClientRowsAsync(app, store));

        // Just past midnight: the same two NetNewsWire clients again, and a new one. A new day, counted afresh.
        app.Time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));
        await PollAsync(client, "/feeds/latest.rss", NetNewsWire, Addresses[0]);
        await PollAsync(client, "/feeds/latest.rss", NetNewsWire, Addresses[1]);
        await PollAsync(client, "/feeds/latest.rss", NetNewsWire, "203.0.113.79");
        await FlushAsync(app);
        var open = Feed(await StatsAsync(app), "latest")["daily"]!.AsArray();
        Assert.Equal([3L, 3L], open.Select(day => (long)day!["directReaders"]!));

        // Once CloseAfter (10 minutes) has passed, day one's hashes become counts and its key is deleted.
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await FlushAsync(app);
        var daily = Feed(await StatsAsync(app), "latest")["daily"]!.AsArray();
        Assert.Equal(["2026-11-24", "2026-11-25"], daily.Select(day => (string)day!["date"]!));
        Assert.Equal([3L, 3L], daily.Select(day => (long)day!["directReaders"]!));
        Assert.Equal(3, await ClientRowsAsync(app, store));
        Assert.Equal(1, await ScalarAsync(app, store, "SELECT COUNT(*) FROM reader_keys"));
        Assert.Equal(0, await ScalarAsync(app, store, "SELECT COUNT(*) FROM reader_keys WHERE day = 20781"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Store_HoldsNoAddressAndNoUserAgent(StoreEngine engine)
    {
        await using var store = engine == StoreEngine.Postgres ? await TestStore.CreateAsync(engine) : null;
        using var app = Create(engine, store);
        using var client = app.CreateClient();
        foreach (var address in Addresses)
        {
            await PollAsync(client, "/feeds/latest.rss", NetNewsWire, address);
            await PollAsync(client, "/feeds/latest.rss", Reeder, address);
        }
        await PollAsync(client, "/feeds/latest.rss", Feedly, Addresses[0]);
        await FlushAsync(app);
        string[] secrets = [.. Addresses, "2001:0db8:0077", NetNewsWire, "reeder-client-3f9a", "CFNetwork", "feedly.com/fetcher"];

        var stored = engine == StoreEngine.Sqlite ? SqliteBytes(app) : await PostgresRowsAsync(store!);

        Assert.Contains("NetNewsWire", stored, StringComparison.Ordinal);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, stored, StringComparison.OrdinalIgnoreCase));
        // Nor the address as bytes (an IPv4 address's four octets).
        Assert.DoesNotContain(Encoding.Latin1.GetString([203, 0, 113, 77]), stored, StringComparison.Ordinal);
    }

    [Theory, OnPostgres]
    public async Task TwoInstances_OnePostgres_CountOneAggregatorOnceAndOneClientOnce(StoreEngine engine)
    {
        await using var store = await TestStore.CreateAsync(engine);
        using var a = Create(engine, store, "instance-a");
        using var b = Create(engine, store, "instance-b");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        // Feedly polls both instances (behind one load balancer), the later poll with a newer count.
        await PollAsync(clientA, "/feeds/latest.rss", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; )", "198.51.100.1");
        b.Time.Advance(TimeSpan.FromMinutes(5));
        await PollAsync(clientB, "/feeds/latest.atom", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 470 subscribers; )", "198.51.100.2");
        // Feedbin with two feed-ids, one on each instance: summed.
        await PollAsync(clientA, "/feeds/latest.rss", "Feedbin feed-id:1697787 - 102 subscribers", "198.51.100.3");
        await PollAsync(clientB, "/feeds/latest.rss", "Feedbin feed-id:1697788 - 3 subscribers", "198.51.100.3");
        // One reader app polling both instances is one reader.
        await PollAsync(clientA, "/feeds/latest.rss", NetNewsWire, Addresses[0]);
        await PollAsync(clientB, "/feeds/latest.rss", NetNewsWire, Addresses[0]);
        // Flushed in the other order than polled: the later report still wins.
        await FlushAsync(b);
        await FlushAsync(a);

        foreach (var app in new[] { a, b })
        {
            var latest = Feed(await StatsAsync(app), "latest");
            Assert.Equal(470, Subscribers(latest, "Feedly", "aggregator"));
            Assert.Equal(105, Subscribers(latest, "Feedbin", "aggregator"));
            Assert.Equal(1, Subscribers(latest, "NetNewsWire", "direct"));
            Assert.Equal(470 + 105 + 1, (long)latest["circulation"]!);
            Assert.Equal(6, (long)latest["requests"]!);
        }
    }

    private static string SqliteBytes(NewsFeedApp app)
    {
        app.Services.GetRequiredService<SqliteFile>().ClearPool();
        var bytes = new List<byte>();
        foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal" })
        {
            if (File.Exists(file)) bytes.AddRange(File.ReadAllBytes(file));
        }
        return Encoding.Latin1.GetString([.. bytes]);
    }

    private static async Task<string> PostgresRowsAsync(TestStore store)
    {
        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "reader_days", "reader_counts", "reader_clients", "reader_keys" })
        {
            await using var command = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM {table} t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        }
        return text.ToString();
    }

    private static Task<long> ClientRowsAsync(NewsFeedApp app, TestStore? store) => ScalarAsync(app, store, "SELECT COUNT(*) FROM reader_clients");

    private static async Task<long> ScalarAsync(NewsFeedApp app, TestStore? store, string sql)
    {
        if (store is not null)
        {
            await using var connection = new NpgsqlConnection(store.ConnectionString);
            await connection.OpenAsync();
            await using var pg = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await pg.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        await using var sqlite = await app.Services.GetRequiredService<SqliteFile>().OpenAsync(CancellationToken.None);
        await using var command = sqlite.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
