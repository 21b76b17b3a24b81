using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace NewsFeed.Reliability;

/// <summary>
/// The variant flood of issue 17, as a hostile-client phase: a section of long articles, then 16 anonymous
/// clients asking for every variant of its feed at once (each limit, format and coding, the browser view, pages
/// reached by the feeds' own <c>next</c> links, non-canonical spellings, malformed values), on a server whose
/// heap is capped as a container's would be. Nothing may answer 5xx (503 included) or go unanswered, no
/// out-of-memory may reach the log, a small cached feed must keep answering quickly throughout, and afterwards
/// the server must be healthy and the section's feed the same as before.
/// </summary>
internal static class VariantFlood
{
    /// <summary>
    /// 512 MB, the container of issue 17's bench criterion, so both judge the same shape of deployment. A bounded
    /// server fits with room (a few cold renders of 100 long articles, the 64 MB feed cache counted in every coding,
    /// the runtime); an unbounded one does not (one 100-item page is about 45 MB before its gzip and Brotli copies,
    /// and 16 clients ask for different ones at once).
    /// </summary>
    public const string HeapHardLimit = "0x20000000";
    public const int Articles = 120;

    /// <summary>A small feed (the sample articles of one section), cached before the flood and polled through it.</summary>
    public const string ProbePath = "/feeds/sections/world.rss";
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The slowest answer the cached probe may take. 20 times the bench's 50 ms p99 target (measured there on a
    /// quiet machine): here the harness's 16 clients decode every body on the same 2 cores, and a cached answer can
    /// wait for a core or a gen 2 collection under the heap limit, but not for a second unless the server is
    /// starved (issue 17 measured 5.6 s).
    /// </summary>
    public static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(1);

    private static readonly string[] Formats = ["rss", "atom", "json"];

    public static async Task<PhaseResult> RunAsync(SuitePaths paths, TimeSpan duration, int seed, string apiKey)
    {
        var result = new PhaseResult("Variant flood");
        var settings = paths.ServerSettings("flood", apiKey, hub: null);
        // Not a configuration key: the runtime reads it from the environment (NewsFeedServer passes it as it is).
        settings["DOTNET_GCHeapHardLimit"] = HeapHardLimit;
        using var server = await NewsFeedServer.StartAsync(paths, settings, Path.Combine(paths.WorkDirectory, "flood.log"));
        result.Figures["Server"] = $"DOTNET_GCHeapHardLimit={HeapHardLimit} ({Convert.ToInt64(HeapHardLimit, 16) / 1048576} MB); feed cache and every other setting at its default";

        using (var admin = Clients.Admin(server.Address, apiKey))
        {
            var publishing = Stopwatch.StartNew();
            var (published, refused) = await LongReads.PublishAsync(admin, Articles, seed);
            result.Figures["Section"] = $"{published.Count} of {Articles} articles with {LongReads.BodyCharacters:N0}-character bodies published to {FloodVariants.PathOf("*")} through the publishing API in {publishing.Elapsed.TotalSeconds:F1} s";
            result.Require(refused.Count == 0, $"{Articles} long articles published through the publishing API", string.Join("; ", refused.Take(5)));
        }

        var checker = new FeedChecker(server.Address, [], []);
        var before = await SnapshotAsync(checker);
        result.Require(before.Values.All(s => s.Problem is null), "the section's feed is valid before the flood (every format, FeedChecker)",
            string.Join("; ", before.Where(s => s.Value.Problem is not null).Select(s => $"{s.Key}: {s.Value.Problem}")));
        var warm = await checker.CheckOnceAsync(ProbePath, "gzip");
        result.Require(warm.Problem is null, $"the probe feed {ProbePath} answers before the flood", warm.Problem ?? "");
        var residentBefore = server.ResidentBytes();

        var (tally, probe, asking, residentPeak, exitedAt) = await FloodAsync(server, duration, seed);
        var clients = FloodShape.Clients();
        result.Figures["Flood"] = $"{clients.Count} clients ({string.Join(", ", clients.Select(c => c.Describe()))}) asking for {duration.TotalSeconds:F0} s{(exitedAt is null ? "" : $" (stopped when the server exited, {exitedAt.Value.TotalSeconds:F0} s in)")}, then finishing their requests: {asking.TotalSeconds:F0} s in all";
        result.Figures["Requests"] = string.Create(CultureInfo.InvariantCulture,
            $"{tally.Requests:N0} ({tally.Requests / asking.TotalSeconds:F1}/s), {tally.Bytes / 1048576.0:N0} MB received, {tally.DistinctUrls:N0} distinct URLs; deepest page {tally.DeepestPage} by next links, {tally.RedirectsFollowed:N0} redirects followed");
        result.Figures["Statuses"] = tally.StatusLine();
        result.Figures["By kind"] = $"page one {tally.AskLine(FloodAsk.Variant)}; next pages {tally.AskLine(FloodAsk.NextPage)}; non-canonical {tally.AskLine(FloodAsk.NonCanonical)}; malformed {tally.AskLine(FloodAsk.Malformed)}";
        result.Figures["Probe"] = $"{ProbePath} (gzip, cached) every {ProbeInterval.TotalMilliseconds:F0} ms: {probe.Describe()} (bound {ProbeBound.TotalMilliseconds:N0} ms)";
        result.Counts["requests served"] = tally.Requests + probe.Count;
        result.Require(exitedAt is null, "the server ran through the flood",
            $"it exited {exitedAt?.TotalSeconds:F0} s into the flood with code {server.ExitCode}; the clients stopped then; its log ends: {LastLine(server.LogPath)}");
        result.Require(tally.ServerErrors == 0, "no answer of 500 or more (503 included)",
            $"{tally.ServerErrors:N0} answers of 500 or more, {tally.ServiceUnavailable:N0} of them 503: {tally.ServerErrorSamples}");
        result.Require(tally.Unanswered == 0, "every request answered in full (nothing refused, reset, timed out or cut short)", $"{tally.Unanswered:N0} not: {tally.UnansweredSamples}");
        result.Require(tally.WrongStatus == 0, "every other answer the one its request calls for (200; 301 for a non-canonical spelling; 400 for a malformed value)",
            $"{tally.WrongStatus:N0} not: {tally.WrongStatusSamples}");
        result.Require(probe.Problems.Count == 0 && probe.MaxMs <= ProbeBound.TotalMilliseconds,
            $"the cached probe feed answered 200 throughout, none slower than {ProbeBound.TotalMilliseconds:N0} ms",
            $"{probe.Describe()}; {probe.Problems.Count} not 200: {string.Join("; ", probe.Problems.Take(5))}");

        var healthz = await StatusAsync(server, "/healthz");
        var readyz = await StatusAsync(server, "/readyz");
        result.Require(healthz == "200" && readyz == "200", "the server is healthy after the flood (/healthz and /readyz 200)", $"/healthz {healthz}, /readyz {readyz}");
        var after = await SnapshotAsync(checker);
        var changed = Formats.Where(f => after[f].Problem is not null || after[f].ETag != before[f].ETag || after[f].Hash != before[f].Hash).ToList();
        result.Require(changed.Count == 0, "the section's feed is valid after the flood and the same as before (every format: ETag and bytes)",
            string.Join("; ", changed.Select(f => $"{f}: {after[f].Problem ?? $"ETag {before[f].ETag} became {after[f].ETag}, {(after[f].Hash == before[f].Hash ? "same" : "different")} bytes"}")));

        result.Figures["Memory (VmRSS)"] = server.HasExited
            ? $"before {Mb(residentBefore)}, peak {Mb(residentPeak)} sampled during the flood (every 250 ms, until the server exited)"
            : $"before {Mb(residentBefore)}, peak {Mb(residentPeak)} during the flood (VmHWM {Mb(server.PeakResidentBytes())} over the whole run), after {Mb(server.ResidentBytes())}";
        var exitedBefore = server.HasExited;
        var exit = await server.StopAsync(TimeSpan.FromSeconds(30));
        result.Require(exit == 0 && !exitedBefore, "graceful stop (SIGTERM) with exit code 0",
            exitedBefore ? $"it had already exited with code {exit}" : $"exit code {exit?.ToString(CultureInfo.InvariantCulture) ?? "none: still running after 30 s"}");
        var outOfMemory = File.ReadLines(server.LogPath).Count(line => line.Contains("OutOfMemoryException", StringComparison.Ordinal));
        result.Figures["OutOfMemoryException in the server log"] = $"{outOfMemory} lines";
        result.Require(outOfMemory == 0, "no OutOfMemoryException in the server log", $"{outOfMemory} lines name it ({Path.GetFileName(server.LogPath)})");
        ServerLogCheck.Require(result, server.LogPath);
        return result;
    }

    /// <summary>The clients and the probe at once, and VmRSS sampled; clients stop asking after <paramref name="duration"/> and finish what they asked.</summary>
    /// <returns>The answers, the probe's, how long the clients asked, the highest VmRSS sampled, and when the server exited if it did.</returns>
    private static async Task<(FloodTally Tally, FeedProbe Probe, TimeSpan Asking, long ResidentPeak, TimeSpan? ExitedAt)> FloodAsync(NewsFeedServer server, TimeSpan duration, int seed)
    {
        var tally = new FloodTally();
        var probe = new FeedProbe(server.Address, ProbePath);
        long peak = 0;
        TimeSpan? exitedAt = null;
        using var stopAsking = new CancellationTokenSource(duration);
        using var stopWatching = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var probing = probe.RunAsync(ProbeInterval, stopWatching.Token);
        var sampling = Soak.EveryAsync(TimeSpan.FromMilliseconds(250), () =>
        {
            peak = Math.Max(peak, server.ResidentBytes());
            if (server.HasExited && exitedAt is null)
            {
                // Out of memory ends the process (the runtime's "Out of memory." and exit): nothing left to flood.
                exitedAt = clock.Elapsed;
                stopAsking.Cancel();
            }
            return Task.CompletedTask;
        }, stopWatching.Token);
        await Task.WhenAll(FloodShape.Clients().Select((shape, i) => new FloodClient(server.Address, shape, tally, seed + i).RunAsync(stopAsking.Token)));
        var asking = clock.Elapsed;
        await stopWatching.CancelAsync();
        await Task.WhenAll(probing, sampling);
        return (tally, probe, asking, peak, exitedAt);
    }

    /// <summary>The status of a GET, or why there was none.</summary>
    private static async Task<string> StatusAsync(NewsFeedServer server, string path)
    {
        if (server.HasExited) return "none (the server has exited)";
        try
        {
            return (await RawHttp.SendAsync(server.Address, RawHttp.Request("GET", path), TimeSpan.FromSeconds(10))).Describe();
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return $"none ({error.GetType().Name}: {error.Message})";
        }
    }

    private static string LastLine(string path)
    {
        var line = File.ReadLines(path).LastOrDefault() ?? "";
        return line.Length <= 200 ? line : line[..200] + "…";
    }

    private sealed record Snapshot(string? Problem, string? ETag, string Hash);

    /// <summary>Page one of the section in every format (identity), checked by the suite's FeedChecker, with its ETag and a hash of its bytes.</summary>
    private static async Task<Dictionary<string, Snapshot>> SnapshotAsync(FeedChecker checker)
    {
        var snapshot = new Dictionary<string, Snapshot>();
        foreach (var format in Formats)
        {
            try
            {
                var (problem, _, etag, body) = await checker.CheckOnceAsync(FloodVariants.PathOf(format));
                snapshot[format] = new Snapshot(problem, etag, Convert.ToHexString(SHA256.HashData(body)));
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
            {
                snapshot[format] = new Snapshot($"{error.GetType().Name}: {error.Message}", null, "");
            }
        }
        return snapshot;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MB");
}
