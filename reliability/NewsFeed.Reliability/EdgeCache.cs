using System.Globalization;

namespace NewsFeed.Reliability;

/// <summary>
/// A real Varnish 7 with xkey (the repository's VCL) in front of NewsFeed with an edge lifetime of one day and the
/// Varnish purger, polled on every feed and variant (each format, page one at the default limit and at 5, the
/// current month's archive, the headline JSON and iframe page) while a newsroom publishes, corrects and retracts.
/// Checked: every acknowledged change is purged and shows at the first request sent after its purge ended (time
/// from the write's acknowledgement to the purge: median and p99, target p99 ≤ 100 ms); the origin is asked at most
/// once per variant per change; Varnish's hit ratio ≥ 99 %; with the origin stopped, Varnish serves every URL.
/// </summary>
internal static class EdgeCache
{
    private static readonly string[] Formats = ["rss", "atom", "json"];

    /// <summary>Readers polling at once: enough for a hit ratio to mean something, few enough to leave the origin a core.</summary>
    private const int Readers = 6;

    public static async Task<PhaseResult> RunAsync(SuitePaths paths, int writes, string apiKey)
    {
        var result = new PhaseResult("Edge");
        var work = Path.Combine(paths.WorkDirectory, "edge");
        var originPort = NewsFeedServer.FreePort();
        var edgePort = NewsFeedServer.FreePort();
        var settings = paths.ServerSettings("edge", apiKey, null);
        settings["Edge:MaxAge"] = "1.00:00:00";
        settings["Edge:Purgers:0:Type"] = "Varnish";
        settings["Edge:Purgers:0:Urls:0"] = $"http://127.0.0.1:{edgePort.ToString(CultureInfo.InvariantCulture)}/";
        settings["RateLimits:AdminPermitLimit"] = "1000000";
        using var server = await NewsFeedServer.StartAsync(paths, settings, Path.Combine(paths.WorkDirectory, "edge.log"), originPort);
        using var edge = await VarnishEdge.StartAsync(paths, server.Address, edgePort, work);
        using var admin = Clients.Admin(server.Address, apiKey);
        var newsroom = new Newsroom(admin, new Random(19), "edge", new NewsroomMix(PickFromNewest: 6));
        // A story of this month first, so the month's archive exists before the readers start.
        await newsroom.WriteOnceAsync(CancellationToken.None);

        var urls = Urls(DateTimeOffset.UtcNow);
        using var poller = new EdgePoller(edge.Address, urls);
        var warm = await poller.RoundAsync(CancellationToken.None);
        result.Require(warm.All(poll => poll.Status == 200), $"every one of {urls.Count} URLs answers 200 through Varnish", $"{warm.Count(poll => poll.Status != 200)} did not: {string.Join(", ", warm.Where(p => p.Status != 200).Take(5).Select(p => $"{urls[p.Url]} {p.Status}"))}");
        var started = DateTimeOffset.UtcNow;

        using var stop = new CancellationTokenSource();
        var readers = poller.RunAsync(Readers, stop.Token);
        for (var i = 0; i < writes; i++)
        {
            await newsroom.WriteOnceAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        // Long enough for the last purges and a few rounds of every URL after them.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await readers;
        await edge.FlushLogsAsync();
        var counters = await edge.CountersAsync();

        var checks = new EdgeChecks(poller, edge.Purges().Where(purge => purge.Status == 200).ToList(), newsroom.Log.ToList(), started);
        checks.Purged(result);
        checks.Visible(result);
        checks.OriginRequests(result, edge.OriginRequests());
        long Counter(string name) => counters.GetValueOrDefault("MAIN." + name);
        var lookups = Counter("cache_hit") + Counter("cache_miss") + Counter("cache_hitmiss") + Counter("cache_hitpass");
        var ratio = lookups == 0 ? 0 : (double)Counter("cache_hit") / lookups;
        result.Figures["Varnish (varnishstat)"] = $"{Counter("cache_hit"):N0} hits, {Counter("cache_miss"):N0} misses, {Counter("cache_hitmiss")} hit-for-miss, {Counter("cache_hitpass")} hit-for-pass: hit ratio {ratio:P2}; {Counter("backend_req"):N0} backend requests";
        result.Require(ratio >= 0.99, $"Varnish's hit ratio over the phase is at least 99 % ({ratio:P2})", $"it is {ratio:P2}");
        var polls = poller.Polls.Count();
        result.Figures["Polls through Varnish"] = $"{polls:N0} polls of {urls.Count} URLs by {Readers} readers in {(DateTimeOffset.UtcNow - started).TotalSeconds:F0} s ({poller.Errors} not 200); {newsroom.Acknowledged} acknowledged writes";
        result.Counts["requests served"] = polls;
        result.Counts["writes checked"] = newsroom.Acknowledged;

        // The origin stops; Varnish keeps answering every URL from what it holds (its health probe marks the origin sick).
        var exit = await server.StopAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var down = await poller.RoundAsync(CancellationToken.None);
        result.Figures["Origin stopped"] = $"exit code {exit?.ToString(CultureInfo.InvariantCulture) ?? "none (killed)"}; {down.Count(poll => poll.Status == 200)} of {urls.Count} URLs answered 200 by Varnish, {down.Count(poll => poll.Hit)} from its cache";
        result.Require(down.All(poll => poll.Status == 200 && poll.Hit), "with the origin stopped, Varnish serves every URL from its cache",
            string.Join(", ", down.Where(poll => poll.Status != 200 || !poll.Hit).Take(5).Select(poll => $"{urls[poll.Url]} {poll.Status}")));
        ServerLogCheck.Require(result, server.LogPath);
        return result;
    }

    /// <summary>Every feed the newsroom's stories are in, in every format, at the default limit and at 5; archives; headlines.</summary>
    private static List<string> Urls(DateTimeOffset now)
    {
        var feeds = Enumerable.Repeat("latest", 1)
            .Concat(Newsroom.Sections.Select(slug => "sections/" + slug))
            .Concat(Newsroom.Authors.Select(slug => "authors/" + slug))
            .Concat(Newsroom.Tags.Select(slug => "tags/" + slug));
        var urls = feeds.SelectMany(feed => Formats.SelectMany(format => new[] { $"feeds/{feed}.{format}", $"feeds/{feed}.{format}?limit=5" })).ToList();
        urls.AddRange(Formats.Select(format => $"feeds/partners.{format}"));
        urls.AddRange(Formats.Select(format => $"feeds/latest/archive/{now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture)}.{format}"));
        urls.AddRange(["api/headlines", $"api/headlines?section={Newsroom.Sections[0]}", "embed/headlines"]);
        return urls;
    }

    /// <summary>The edge key a URL depends on (what NewsFeed tags it with).</summary>
    public static string KeyOf(string url)
    {
        var path = url.Split('?')[0];
        if (path.StartsWith("api/headlines", StringComparison.Ordinal) || path.StartsWith("embed/headlines", StringComparison.Ordinal))
        {
            return url.Contains("section=", StringComparison.Ordinal) ? "sections/" + url.Split("section=")[1] : "latest";
        }
        var stem = path["feeds/".Length..];
        return stem[..stem.LastIndexOf('.')];
    }
}
