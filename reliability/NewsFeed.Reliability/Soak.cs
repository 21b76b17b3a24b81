using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsFeed.Reliability;

/// <summary>
/// Sustained load: wrk on a mix of feeds (every format, sections, authors, tags, partners, headlines; conditional
/// and not) and checking readers, while a newsroom publishes, corrects and retracts about five articles a
/// second and the partners flap. Then every acknowledged write is read back, the latest feed is walked page by
/// page, and the server must stop gracefully.
/// </summary>
internal static class Soak
{
    public static async Task<PhaseResult> RunAsync(SuitePaths paths, TimeSpan duration, double writesPerSecond, string apiKey)
    {
        var result = new PhaseResult("Soak");
        await using var partner = await FlappingPartner.StartAsync();
        var settings = paths.ServerSettings("soak", apiKey, new Uri(partner.Address, "hub"));
        // Partners poll every few seconds and give up quickly, so a short soak sees every kind of failure.
        settings["Partners:AllowPrivateAddresses"] = "true";
        settings["Partners:IncludeInSections"] = "true";
        settings["Partners:TickInterval"] = "00:00:01";
        settings["Partners:MinPollInterval"] = "00:00:01";
        settings["Partners:AttemptTimeout"] = "00:00:02";
        settings["Partners:TotalTimeout"] = "00:00:06";
        settings["Partners:RetryBaseDelay"] = "00:00:00.200";
        settings["Partners:MaxRetryAfter"] = "00:00:02";
        settings["Partners:BreakerSamplingDuration"] = "00:00:30";
        settings["Partners:BreakerBreakDuration"] = "00:00:05";
        // The writer and the read-back of every write are not what the admin limit is about (the hostile phase tests it).
        settings["RateLimits:AdminPermitLimit"] = "1000000";
        using var server = await NewsFeedServer.StartAsync(paths, settings, Path.Combine(paths.WorkDirectory, "soak.log"));
        using var admin = Clients.Admin(server.Address, apiKey);

        foreach (var (id, _) in FlappingPartner.Partners)
        {
            using var added = await admin.PostAsJsonAsync("api/partners", new JsonObject
            {
                ["id"] = id,
                ["name"] = $"Partner {id}",
                ["url"] = partner.FeedUrl(id).ToString(),
                ["section"] = "world",
                ["pollInterval"] = "00:00:02",
                ["attribution"] = $"Courtesy of {id}",
            });
            result.Require(added.IsSuccessStatusCode, $"partner {id} registered", $"POST /api/partners answered {(int)added.StatusCode}");
        }

        var feedPaths = FeedPaths();
        var pathsFile = Path.Combine(paths.WorkDirectory, "soak-paths.txt");
        await File.WriteAllLinesAsync(pathsFile, feedPaths);
        var newsroom = new Newsroom(admin, new Random(7), "soak");
        var checker = new FeedChecker(server.Address, feedPaths, [newsroom]);

        using var stop = new CancellationTokenSource();
        var memory = new List<(double Seconds, long Bytes)>();
        var clock = Stopwatch.StartNew();
        var wrk = RunWrkAsync(paths, server.Address, pathsFile, duration);
        var checkers = Enumerable.Range(0, 2).Select(i => checker.RunAsync(100 + i, stop.Token)).ToList();
        var writer = EveryAsync(TimeSpan.FromSeconds(1 / writesPerSecond), () => newsroom.WriteOnceAsync(stop.Token), stop.Token);
        var sampler = EveryAsync(TimeSpan.FromSeconds(1), () =>
        {
            memory.Add((clock.Elapsed.TotalSeconds, server.ResidentBytes()));
            return Task.CompletedTask;
        }, stop.Token);

        var load = await wrk;
        await stop.CancelAsync();
        await Task.WhenAll([.. checkers, writer, sampler]);
        var peak = server.PeakResidentBytes();

        // wrk's own figures: zero errors of any kind (status counts every answer of 400 or more).
        result.Figures["Mix"] = $"{feedPaths.Count} URLs; writes at {writesPerSecond}/s; {FlappingPartner.Partners.Length} flapping partners";
        result.Figures["Load (wrk, 2 threads, 16 connections)"] = $"{load.Requests:N0} requests in {load.Seconds:F0} s ({load.Requests / load.Seconds:N0}/s), p50 {load.P50Ms:F2} ms, p99 {load.P99Ms:F2} ms, max {load.MaxMs:F0} ms";
        result.Counts["requests served"] = load.Requests + checker.Checked;
        result.Require(load.StatusErrors == 0, "wrk: no 4xx or 5xx", $"wrk saw {load.StatusErrors} answers of 400 or more");
        result.Require(load.SocketErrors == 0, "wrk: no socket errors or timeouts", $"wrk saw {load.SocketErrors} socket errors/timeouts");

        result.Figures["Checked responses"] = $"{checker.Checked:N0} parsed and checked ({checker.NotModified:N0} were 304)";
        result.Require(checker.ServerErrors == 0, "no 5xx", $"{checker.ServerErrors} answers of 500 or more");
        result.Require(checker.FailureCount == 0, "every checked response well-formed and exact", $"{checker.FailureCount} bad responses: {string.Join("; ", checker.Failures)}");

        result.Figures["Writes"] = $"{newsroom.Acknowledged:N0} acknowledged, {newsroom.Refused} refused{Refusals(newsroom)}, {newsroom.Unanswered} unanswered ({newsroom.Acknowledged / duration.TotalSeconds:F1}/s)";
        result.Require(newsroom.Refused == 0, "no write refused", $"refused{Refusals(newsroom)}");
        var (verified, mismatches) = await Newsroom.VerifyAsync(admin, [newsroom], CancellationToken.None);
        result.Counts["writes checked"] = verified;
        result.Require(mismatches.Count == 0, $"{verified} articles read back exactly as acknowledged", string.Join("; ", mismatches.Take(10)));
        var feedProblems = await WalkLatestAsync(admin, newsroom);
        result.Require(feedProblems.Count == 0, "the latest feed, walked page by page, lists exactly the published articles with their acknowledged titles", string.Join("; ", feedProblems.Take(10)));

        var (health, healthProblems) = await PartnerHealthAsync(admin);
        result.Figures["Partners"] = health + $"; served by mode: {string.Join(", ", partner.Served.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}; hub pings {partner.HubPings:N0}";
        result.Require(healthProblems.Count == 0, "every partner both failed and succeeded, its health shows the failure, and its last good items stay served", string.Join("; ", healthProblems));
        result.Require(partner.Served.Count == FlappingPartner.Modes.Distinct().Count(), "the partners were polled in every mode", $"only {string.Join(", ", partner.Served.Keys)}");

        var (startMb, endMb, growthMb, slope) = Trend(memory);
        result.Figures["Working set"] = $"peak {peak / 1048576.0:F0} MB; after warm-up {startMb:F0} MB, last quarter {endMb:F0} MB (growth {growthMb:+0;-0} MB, trend {slope:+0.0;-0.0} MB/min)";
        result.Require(growthMb <= Math.Max(32, startMb * 0.15), "working set bounded (no growth trend)", $"grew {growthMb:F0} MB from the second to the last quarter");

        var exit = await server.StopAsync(TimeSpan.FromSeconds(30));
        result.Require(exit == 0, "graceful stop (SIGTERM) with exit code 0 while partners were mid-poll", $"exit code {exit?.ToString(CultureInfo.InvariantCulture) ?? "none: still running after 30 s"}");
        ServerLogCheck.Require(result, server.LogPath);
        return result;
    }

    /// <summary>Every kind of feed and view the server has, with paging and limits, for wrk and the checkers.</summary>
    internal static List<string> FeedPaths()
    {
        var list = new List<string>();
        foreach (var format in new[] { "rss", "atom", "json" })
        {
            list.Add($"/feeds/latest.{format}");
            list.Add($"/feeds/latest.{format}?limit=50");
            list.Add($"/feeds/latest.{format}?limit=5&page=2");
            list.AddRange(Newsroom.Sections.Select(s => $"/feeds/sections/{s}.{format}"));
            list.AddRange(Newsroom.Authors.Select(a => $"/feeds/authors/{a}.{format}"));
            list.AddRange(Newsroom.Tags.Select(t => $"/feeds/tags/{t}.{format}"));
            list.Add($"/feeds/partners.{format}");
            list.AddRange(FlappingPartner.Partners.Select(p => $"/feeds/partners/{p.Id}.{format}"));
        }
        list.Add("/api/headlines");
        list.Add("/api/headlines?section=world&limit=10");
        list.Add("/embed/headlines?section=business");
        list.Add("/");
        list.Add("/feed.xsl");
        return list;
    }

    /// <summary>Runs <paramref name="tick"/> every <paramref name="period"/> (ticks missed while it runs are skipped) until stopped.</summary>
    internal static async Task EveryAsync(TimeSpan period, Func<Task> tick, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Mean of the second quarter (after warm-up) against the last quarter, and a least-squares slope over both halves.</summary>
    internal static (double StartMb, double EndMb, double GrowthMb, double SlopeMbPerMinute) Trend(List<(double Seconds, long Bytes)> samples)
    {
        if (samples.Count < 8) return (0, 0, 0, 0);
        var quarter = samples.Count / 4;
        var second = samples.Skip(quarter).Take(quarter).Average(s => s.Bytes) / 1048576.0;
        var last = samples.Skip(samples.Count - quarter).Average(s => s.Bytes) / 1048576.0;
        var warm = samples.Skip(quarter).ToList();
        var meanX = warm.Average(s => s.Seconds);
        var meanY = warm.Average(s => s.Bytes / 1048576.0);
        var slope = warm.Sum(s => (s.Seconds - meanX) * ((s.Bytes / 1048576.0) - meanY)) / warm.Sum(s => Math.Pow(s.Seconds - meanX, 2));
        return (second, last, last - second, slope * 60);
    }

    /// <summary>Walks latest.json to its last page: each writer article is listed iff it may be published, with an allowed title.</summary>
    internal static async Task<List<string>> WalkLatestAsync(HttpClient admin, Newsroom newsroom)
    {
        var listed = new Dictionary<Guid, string>();
        var problems = new List<string>();
        var url = "feeds/latest.json?limit=100";
        while (url is not null)
        {
            var page = (await admin.GetFromJsonAsync<JsonObject>(url))!;
            foreach (var item in page["items"]!.AsArray())
            {
                var id = Guid.Parse(((string)item!["id"]!)["urn:uuid:".Length..]);
                if (!listed.TryAdd(id, (string)item["title"]!)) problems.Add($"{id} listed twice");
            }
            // Paging links are built from Site:PublicUrl, not from this server's address.
            url = page["next_url"] is { } next ? new Uri((string)next!).PathAndQuery.TrimStart('/') : null;
        }
        foreach (var (id, acked, allowed) in newsroom.Expectations())
        {
            var published = allowed.Where(s => s.Status == "published").Select(s => s.Title).ToList();
            if (listed.TryGetValue(id, out var title))
            {
                if (!published.Contains(title)) problems.Add($"{id} listed as '{title}', allowed: {(published.Count == 0 ? "not listed" : string.Join(" | ", published))}");
            }
            else if (acked is not null && allowed.All(s => s.Status == "published"))
            {
                problems.Add($"{id} ('{acked.Value.Title}', acknowledged) missing from the latest feed");
            }
        }
        return problems;
    }

    /// <summary>Each flapping partner's health line, and what is wrong with it: never a success, no failure on record, no items served.</summary>
    private static async Task<(string Health, List<string> Problems)> PartnerHealthAsync(HttpClient admin)
    {
        var lines = new List<string>();
        var problems = new List<string>();
        var partnersFeed = await admin.GetStringAsync("feeds/partners.json");
        foreach (var status in (await admin.GetFromJsonAsync<JsonArray>("api/partners"))!.Select(p => p!))
        {
            var id = (string)status["partner"]!["id"]!;
            if (!id.StartsWith("flap-", StringComparison.Ordinal)) continue;
            var state = status["state"]!;
            var items = (int)status["itemCount"]!;
            lines.Add($"{id}: {items} items, {(state["lastSuccess"] is null ? "never succeeded" : "succeeded")}, last error '{Shorten((string?)state["lastError"])}'");
            if (state["lastSuccess"] is null || items == 0) problems.Add($"{id} never succeeded");
            if (state["lastError"] is null) problems.Add($"{id} shows no failure");
            if (!partnersFeed.Contains($"Partner {id} story", StringComparison.Ordinal)) problems.Add($"{id}'s items missing from /feeds/partners.json");
        }
        return (string.Join("; ", lines), problems);
    }

    private static string Refusals(Newsroom newsroom) =>
        newsroom.RefusedBy.Count == 0 ? "" : $" ({string.Join(", ", newsroom.RefusedBy.Select(r => $"{r.Value} x {r.Key}"))})";

    private static string Shorten(string? text) => text is null ? "none" : text.Length <= 60 ? text : text[..60] + "…";

    private sealed record WrkResult(long Requests, double Seconds, long StatusErrors, long SocketErrors, double P50Ms, double P99Ms, double MaxMs);

    private static async Task<WrkResult> RunWrkAsync(SuitePaths paths, Uri server, string pathsFile, TimeSpan duration)
    {
        var since = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t2", "-c16", $"-d{(int)duration.TotalSeconds}s", "--timeout", "5s", "-s", paths.WrkScript, server.ToString().TrimEnd('/'), "--", pathsFile, since })
        {
            start.ArgumentList.Add(arg);
        }
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk; reliability/run does).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException("wrk printed no summary:\n" + output + await wrk.StandardError.ReadToEndAsync());
        using var json = JsonDocument.Parse(line);
        var r = json.RootElement;
        long Get(string name) => r.GetProperty(name).GetInt64();
        return new WrkResult(Get("requests"), Get("duration_us") / 1e6, Get("status"),
            Get("connect") + Get("read") + Get("write") + Get("timeout"),
            Get("p50_us") / 1000.0, Get("p99_us") / 1000.0, Get("max_us") / 1000.0);
    }
}

internal static class Clients
{
    public static HttpClient Admin(Uri server, string apiKey)
    {
        var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
