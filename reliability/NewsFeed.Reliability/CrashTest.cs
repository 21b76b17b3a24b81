using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace NewsFeed.Reliability;

/// <summary>
/// Kill -9 during a stream of publishes, corrections and retractions, restart on the same file, again and
/// again: after each restart every write acknowledged before the kill is there exactly, the feed agrees with
/// the store, and SQLite's integrity_check is ok.
/// </summary>
internal static class CrashTest
{
    private const int Writers = 4;

    public static async Task<PhaseResult> RunAsync(SuitePaths paths, int cycles, int seed, string apiKey)
    {
        var result = new PhaseResult("Crash");
        var random = new Random(seed);
        var settings = paths.ServerSettings("crash", apiKey, hub: null);
        // Writes stream as fast as the store acknowledges them; the admin rate limit is not what is tested here.
        settings["RateLimits:AdminPermitLimit"] = "1000000";
        var database = settings["Storage:DatabasePath"];
        var log = Path.Combine(paths.WorkDirectory, "crash.log");
        var allNewsrooms = new List<Newsroom>();
        var survived = 0;
        var checkedTotal = 0;
        var problems = new List<string>();
        var delays = new List<double>();

        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            using var server = await NewsFeedServer.StartAsync(paths, settings, log);
            using var admin = Clients.Admin(server.Address, apiKey);
            if (cycle > 1)
            {
                // The restart after the previous kill (the server itself recovered the WAL it left): SQLite's own
                // check from a second connection, every write of the last life, then the feed.
                problems.AddRange(IntegrityCheck(database).Select(m => $"after kill {cycle - 1}: {m}"));
                var (count, mismatches) = await Newsroom.VerifyAsync(admin, allNewsrooms.TakeLast(Writers), CancellationToken.None);
                checkedTotal += count;
                problems.AddRange(mismatches.Select(m => $"after kill {cycle - 1}: {m}"));
                problems.AddRange((await FeedAgreesWithStoreAsync(admin)).Select(m => $"after kill {cycle - 1}: {m}"));
                survived++;
            }

            // A new ledger per life: each writer's articles are its own, and a killed request stays "unanswered".
            var lives = Enumerable.Range(0, Writers).Select(i => new Newsroom(Clients.Admin(server.Address, apiKey), new Random(random.Next()), $"c{cycle}w{i}")).ToList();
            allNewsrooms.AddRange(lives);
            using var stop = new CancellationTokenSource();
            var writing = lives.Select(newsroom => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested) await newsroom.WriteOnceAsync(CancellationToken.None);
            })).ToList();
            var delay = 0.3 + (random.NextDouble() * 2.2);
            delays.Add(delay);
            await Task.Delay(TimeSpan.FromSeconds(delay));
            // No writer starts another write; the ones in flight are cut off by the kill.
            await stop.CancelAsync();
            server.Kill();
            await Task.WhenAll(writing);
        }

        // One last life: the writes of the final kill, then every acknowledged write of the whole run.
        using (var last = await NewsFeedServer.StartAsync(paths, settings, log))
        {
            using var admin = Clients.Admin(last.Address, apiKey);
            survived++;
            problems.AddRange(IntegrityCheck(database).Select(m => $"after kill {cycles}: {m}"));
            var (count, mismatches) = await Newsroom.VerifyAsync(admin, allNewsrooms, CancellationToken.None);
            checkedTotal += count;
            problems.AddRange(mismatches.Select(m => $"at the end: {m}"));
            problems.AddRange(await FeedAgreesWithStoreAsync(admin));
            await last.StopAsync(TimeSpan.FromSeconds(30));
        }
        problems.AddRange(IntegrityCheck(database));

        var acknowledged = allNewsrooms.Sum(n => n.Acknowledged);
        var unanswered = allNewsrooms.Sum(n => n.Unanswered);
        result.Counts["crashes survived"] = survived;
        result.Counts["writes checked"] = checkedTotal;
        result.Figures["Kills"] = $"{cycles} SIGKILLs, {delays.Min():F1} to {delays.Max():F1} s into each life (seed {seed})";
        result.Figures["Writes"] = $"{acknowledged:N0} acknowledged, {unanswered} cut off by a kill (either outcome allowed), {allNewsrooms.Sum(n => n.Refused)} refused";
        result.Figures["Read back"] = $"{checkedTotal:N0} article checks after restarts";
        result.Require(problems.Count == 0, $"{cycles} kills survived: every acknowledged write present exactly, feeds agree with the store, integrity_check ok each time", string.Join("; ", problems.Take(10)));
        result.Require(acknowledged >= cycles * 5, "the stream wrote something in every life", $"only {acknowledged} acknowledged writes");
        ServerLogCheck.Require(result, log);
        return result;
    }

    /// <summary>SQLite's own check of the store, through a connection of its own beside the restarted server's.</summary>
    private static List<string> IntegrityCheck(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var rows = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) rows.Add(reader.GetString(0));
        }
        return rows is ["ok"] ? [] : [$"integrity_check: {string.Join(", ", rows.Take(5))}"];
    }

    /// <summary>Every item of the latest feed's first page is an article the store says is published.</summary>
    private static async Task<List<string>> FeedAgreesWithStoreAsync(HttpClient admin)
    {
        var problems = new List<string>();
        var feed = (await admin.GetFromJsonAsync<JsonObject>("feeds/latest.json?limit=100"))!;
        foreach (var item in feed["items"]!.AsArray())
        {
            var id = ((string)item!["id"]!)["urn:uuid:".Length..];
            var stored = await admin.GetFromJsonAsync<JsonObject>($"api/articles/{id}");
            if ((string?)stored?["status"] != "published" || (string?)stored["title"] != (string?)item["title"])
            {
                problems.Add($"feed lists {id} '{item["title"]}', store has '{stored?["title"]}' ({stored?["status"]})");
            }
        }
        return problems;
    }
}
