using System.Diagnostics;
using System.Globalization;

namespace NewsFeed.Reliability;

/// <summary>
/// The cluster phase: a throwaway PostgreSQL, three NewsFeed instances on it, HAProxy in front; a newsroom writing
/// through HAProxy (publish, correct, retract, drafts, embargoes), checking readers through HAProxy and on each
/// instance, flapping partners, a recording WebSub hub; instances killed with SIGKILL at random and PostgreSQL
/// restarted once. Then: no acknowledged write lost, every instance agrees, publish → visible elsewhere within
/// 100 ms (p99), each partner polled once per due time and never left waiting, every change pinged and no held
/// copy, no 5xx through HAProxy but while the database is down, and cached feeds served meanwhile.
/// </summary>
internal static class Cluster
{
    /// <summary>Writes in the first seconds after an instance is ready (at the start, after a restart) are not counted for publish → visible.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static async Task<PhaseResult> RunAsync(SuitePaths paths, ClusterOptions options, double writesPerSecond, int seed, string apiKey)
    {
        var result = new PhaseResult("Cluster");
        var random = new Random(seed);
        await using var hub = await HubRecorder.StartAsync();
        await using var partners = await FlappingPartner.StartAsync();
        await using var database = await ThrowawayPostgres.StartAsync(paths.WorkDirectory);
        var clock = Stopwatch.StartNew();
        using var instances = await ClusterInstances.StartAsync(paths, apiKey, options.Store, database.ConnectionString, hub.Address, partners);
        result.Figures["Start"] = $"PostgreSQL 15 on 127.0.0.1:{database.Port}, three instances ({options.Store} store) ready together in {clock.Elapsed.TotalSeconds:F1} s";
        using var balancer = await LoadBalancer.StartAsync(paths.WorkDirectory, [.. ClusterInstances.Names.Select(n => (n, instances.Ports[n]))]);
        using var admin = Clients.Admin(balancer.Address, apiKey);

        var newsroom = new Newsroom(admin, new Random(random.Next()), "cluster",
            new NewsroomMix(Drafts: 0.07, Embargoes: 0.07, StoryTags: true, PickFromNewest: 10));
        using var probe = new VisibilityProbe(instances);
        using var readers = new ClusterReaders(balancer.Address, instances, newsroom);
        var faults = new ClusterFaults(instances, database, new Random(random.Next()));
        using var stop = new CancellationTokenSource();
        var paused = false;
        var tracked = 0;
        var from = DateTimeOffset.UtcNow;
        var writer = Soak.EveryAsync(TimeSpan.FromSeconds(1 / writesPerSecond), async () =>
        {
            if (Volatile.Read(ref paused)) return;
            await newsroom.WriteOnceAsync(CancellationToken.None);
            foreach (var write in newsroom.Log.Skip(tracked).ToList())
            {
                probe.Track(write);
                tracked++;
            }
        }, stop.Token);
        var reading = readers.Start(Soak.FeedPaths(), stop.Token);
        await faults.RunAsync(options.Duration, options.Kills,
            beforeDatabaseStops: async () =>
            {
                // Writes stop, the last ones reach every instance, and every instance caches the feeds to lean on.
                Volatile.Write(ref paused, true);
                await Task.Delay(1000);
                await readers.WarmAsync();
            },
            whileDatabaseDown: async back =>
            {
                // Writes resume once it is down, so none lands to move the cached feeds: each must be refused
                // (503, nothing half-written), which the read-back at the end holds it to.
                Volatile.Write(ref paused, false);
                await readers.ReadCachedAsync(back);
            },
            stop.Token);
        var to = DateTimeOffset.UtcNow;
        partners.Freeze();
        await stop.CancelAsync();
        await Task.WhenAll([writer, .. reading]);
        await probe.DrainAsync();
        var databaseWindow = faults.Windows.FirstOrDefault(w => w.IsDatabase);
        var runSeconds = (to - from).TotalSeconds;

        // Faults.
        var kills = faults.Windows.Where(w => !w.IsDatabase).ToList();
        result.Counts["crashes survived"] = kills.Count;
        result.Figures["Faults"] = $"{kills.Count} SIGKILLs in {runSeconds:F0} s ({string.Join(", ", ClusterInstances.Names.Select(n => $"{n} {kills.Count(k => k.What == "kill " + n)}"))}), " +
            $"back and ready after {Range(kills.Select(k => k.Length.TotalSeconds))} s; PostgreSQL down {ClusterFaults.DatabaseDowntime.TotalSeconds:F0} s, every instance ready again {databaseWindow?.Length.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) ?? "-"} s after the stop (seed {seed})";
        result.Figures["Fault windows"] = string.Join("; ", faults.Windows.Select(w => $"{w.What} {w.Start:HH:mm:ss.f}–{w.End:HH:mm:ss.f}"));
        result.Require(kills.Count >= options.Kills && faults.Problems.Count == 0, $"{kills.Count} instance kills (at least {options.Kills}, never two instances down at once), each instance back and ready",
            $"{kills.Count} kills; {string.Join("; ", faults.Problems)}");
        result.Require(databaseWindow is not null, "PostgreSQL restarted once mid-run, every instance ready again after it", "no PostgreSQL restart happened");

        // Writes: nothing lost, and every instance agrees.
        result.Figures["Writes"] = $"{newsroom.Acknowledged:N0} acknowledged through HAProxy ({Count(newsroom, WriteKind.Publish)} publishes, {Count(newsroom, WriteKind.Correct)} corrections, {Count(newsroom, WriteKind.Retract)} retractions, {Count(newsroom, WriteKind.Draft)} drafts, {Count(newsroom, WriteKind.Embargo)} embargoes), " +
            $"{newsroom.Refused} refused{Refusals(newsroom)}, {newsroom.Unanswered} unanswered ({newsroom.Acknowledged / runSeconds:F1}/s)";
        await Task.Delay(ClusterInstances.PollInterval * 2 + ClusterInstances.TickInterval);
        var (verified, lost) = await ClusterAgreement.WritesAsync(instances, apiKey, newsroom);
        result.Counts["writes checked"] = verified;
        result.Require(lost.Count == 0, $"0 acknowledged writes lost: {verified:N0} read-backs (every write on every instance) exactly as acknowledged, and each instance's latest feed lists exactly the published stories",
            $"{lost.Count} problems: {string.Join("; ", lost.Take(10))}");
        var (compared, disagreements) = await ClusterAgreement.ETagsAsync(instances, ClusterAgreement.FeedsToCompare(newsroom));
        result.Require(disagreements.Count == 0, $"every instance answers each of {compared} feeds (latest, sections, authors, tags, partners; every format) with the same ETag",
            $"{disagreements.Count} disagree: {string.Join("; ", disagreements.Take(6))}");

        // Publish → visible on the other instances, outside the fault windows.
        var probes = probe.Results.ToList();
        // An instance's first seconds, at the start and after each restart, are not steady state either: the JIT
        // compiles the write and render paths, and on a small machine that slows every process beside it.
        var warmUps = kills.Select(k => new FaultWindow("warm-up", k.End, k.End + WarmUp)).Prepend(new FaultWindow("warm-up", from, from + WarmUp)).ToList();
        bool Outside(Visibility v, IEnumerable<FaultWindow> windows) => !windows.Any(w => w.Overlaps(v.Write.Sent, v.GaveUpOrSawAt));
        var clean = probes.Where(v => Outside(v, faults.Windows.Concat(warmUps))).ToList();
        var latencies = clean.Select(v => v.Milliseconds ?? double.PositiveInfinity).Order().ToList();
        var withWarmUps = probes.Where(v => Outside(v, faults.Windows.Append(warmUps[0]))).Select(v => v.Milliseconds ?? double.PositiveInfinity).Order().ToList();
        var (median, p99) = (Percentile(latencies, 0.5), Percentile(latencies, 0.99));
        var requestTimes = probe.RequestMilliseconds.Order().ToList();
        var askedTimes = clean.Select(v => v.AskedMilliseconds ?? double.PositiveInfinity).Order().ToList();
        result.Figures["Publish → visible on every other instance"] = $"median {Ms(median)}, p99 {Ms(p99)}, max {Ms(latencies.LastOrDefault())} over {clean.Count} (write, instance) pairs outside the fault windows and the first {WarmUp.TotalSeconds:F0} s after each start ({probes.Count - clean.Count} inside them not counted; counting the {withWarmUps.Count - clean.Count} pairs in the seconds after a restart too: p99 {Ms(Percentile(withWarmUps, 0.99))}); probed every {VisibilityProbe.Interval.TotalMilliseconds:F0} ms; the request that showed it was sent in median {Ms(Percentile(askedTimes, 0.5))}, p99 {Ms(Percentile(askedTimes, 0.99))} after the acknowledgement; one probe request answered in median {Ms(Percentile(requestTimes, 0.5))}, p99 {Ms(Percentile(requestTimes, 0.99))}";
        result.Require(clean.Count >= 50 && p99 <= 100, "publish → visible on every other instance: p99 ≤ 100 ms outside the fault windows",
            $"p99 {Ms(p99)} over {clean.Count} pairs; never visible within {VisibilityProbe.Patience.TotalSeconds:F0} s: {string.Join(", ", clean.Where(v => v.VisibleAt is null).Take(5).Select(v => $"{v.Write.Kind} {v.Write.Id} on {v.Instance}"))}");

        // Partner polls, from the partner server's request log.
        var polls = PartnerPollAudit.Judge(partners.Requests, [.. FlappingPartner.Partners.Select(p => p.Id)], from, to, faults.Kills, databaseWindow);
        result.Figures["Partner polls"] = $"{polls.Polls} polls of {FlappingPartner.Partners.Length} partners (interval {ClusterInstances.PollInterval.TotalSeconds:F0} s, lease {ClusterInstances.LeaseTime.TotalSeconds:F0} s), by mode: {string.Join(", ", partners.Requests.Where(r => r.Start >= from && r.Start <= to).GroupBy(r => r.Mode).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}; " +
            $"{polls.DoublePolls.Count} double polls, {polls.ExcusedByKill} second polls after a kill and {polls.ExcusedByDatabase} across the database restart excused; longest gap {polls.LongestGap.TotalSeconds:F1} s (allowed {PartnerPollAudit.AllowedGap.TotalSeconds:F0} s, plus the restart's length across it)";
        result.Require(polls.DoublePolls.Count == 0, "no partner polled twice for one due time (a second poll after a kill cut the first off excused; see docs/reliability.md)", string.Join("; ", polls.DoublePolls.Take(5)));
        result.Require(polls.Polls > 0 && polls.Missed.Count == 0, $"no partner left unpolled longer than its interval + one lease + a tick + {PartnerPollAudit.Slack.TotalSeconds:F0} s (outside the database restart)", $"{polls.Polls} polls; {string.Join("; ", polls.Missed.Take(5))}");

        // WebSub pings: the outbox may still be delivering what the last writes and lifts queued.
        var pings = await WaitForPingsAsync(newsroom, hub, to);
        result.Figures["WebSub pings"] = $"{hub.Pings.Count:N0} pings recorded ({hub.Malformed} malformed); {pings.ChangesChecked} changes and {pings.LiftsChecked} embargo lifts checked (each lift pinged {pings.PingsPerLift:F1} times per topic on average)";
        result.Require(pings.Missing.Count == 0, "every change pinged to the hub at least once (each publish, correction, retraction; each embargo lift after it)", $"{pings.Missing.Count} missing: {string.Join("; ", pings.Missing.Take(5))}");
        result.Require(pings.Early.Count == 0, "no draft ever pinged, no embargoed story before its embargo ended", $"{pings.Early.Count}: {string.Join("; ", pings.Early.Take(5))}");

        await ClusterRecords.WriteAsync(paths.WorkDirectory, newsroom, probes, hub.Pings, partners.Requests, faults.Windows);
        await ClusterRecords.DumpDatabaseAsync(paths.WorkDirectory, database);

        // Through HAProxy: no 5xx but while the database was down; cached feeds served meanwhile.
        var (readErrors, readErrorsInside) = readers.ServerErrorsThroughBalancer(databaseWindow);
        var writeErrors = newsroom.ErrorAnswers.Where(e => e.Status >= 500).ToList();
        var writeErrorsOutside = writeErrors.Where(e => databaseWindow?.Contains(e.At) != true).ToList();
        result.Counts["requests served"] = readers.Answers.Count + readers.DuringDatabaseRestart.Count + newsroom.Acknowledged;
        result.Figures["Readers"] = $"{readers.Answers.Count:N0} answers checked ({readers.Answers.Count(a => a.Via == ClusterReaders.ThroughBalancer):N0} through HAProxy); 5xx through HAProxy: {readErrors.Count + writeErrorsOutside.Count} outside the database restart, {readErrorsInside + writeErrors.Count - writeErrorsOutside.Count} inside it";
        result.Require(readErrors.Count == 0 && writeErrorsOutside.Count == 0, "no 5xx through HAProxy outside the PostgreSQL restart",
            string.Join("; ", readErrors.Take(3).Select(a => $"{a.Asked:HH:mm:ss.fff} {a.Path} {a.Status}").Concat(writeErrorsOutside.Take(3).Select(e => $"write {e.At:HH:mm:ss.fff} {e.Status}"))));
        var degraded = readers.DuringDatabaseRestart.ToList();
        var unserved = degraded.Where(d => d.Answer.Status is not (200 or 304)).ToList();
        var writesWhileDown = newsroom.ErrorAnswers.Where(e => databaseWindow?.Contains(e.At) == true).GroupBy(e => e.Status).Select(g => $"{g.Count()} x {g.Key}");
        result.Figures["While PostgreSQL was down"] = $"{degraded.Count} reads of {ClusterReaders.CachedPaths.Length} cached feeds through HAProxy and on each instance: {degraded.Count - unserved.Count} answered 200/304; writes refused: {string.Join(", ", writesWhileDown.DefaultIfEmpty("none"))}";
        result.Require(degraded.Count > 0 && unserved.Count == 0, "cached feeds still served (200 or 304) through HAProxy and by every instance while PostgreSQL was down",
            $"{unserved.Count} of {degraded.Count}: {string.Join("; ", unserved.Take(5).Select(d => $"{d.Via} {d.Answer.Asked:HH:mm:ss.fff} {d.Answer.Path} {d.Answer.Status} {d.Answer.Problem}"))}");
        var (badReads, badInside) = readers.Problems(faults.Windows);
        result.Require(badReads.Count == 0, $"every checked answer well-formed and exact outside the fault windows ({badInside} bad inside them)", $"{badReads.Count}: {string.Join("; ", badReads.Take(5))}");

        var exits = await instances.StopAllAsync();
        result.Require(exits.Values.All(code => code == 0), "graceful stop (SIGTERM) of every instance with exit code 0", string.Join(", ", exits.Select(e => $"{e.Key}: {e.Value?.ToString(CultureInfo.InvariantCulture) ?? "still running after 30 s"}")));
        ClusterLogCheck.Require(result, ClusterInstances.Names.Select(instances.LogPath), databaseWindow);
        return result;
    }

    /// <summary>Judges the pings, waiting up to 20 s for the missing ones (the outbox retries, embargoes lift).</summary>
    private static async Task<PingAudit.Findings> WaitForPingsAsync(Newsroom newsroom, HubRecorder hub, DateTimeOffset to)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var findings = PingAudit.Judge(newsroom.Log, [.. hub.Pings], SuitePaths.PublicUrl, to);
            if (findings.Missing.Count == 0 || deadline.Elapsed > TimeSpan.FromSeconds(20)) return findings;
            await Task.Delay(500);
        }
    }

    private static int Count(Newsroom newsroom, WriteKind kind) => newsroom.Log.Count(w => w.Kind == kind);

    private static string Refusals(Newsroom newsroom) =>
        newsroom.RefusedBy.Count == 0 ? "" : $" ({string.Join(", ", newsroom.RefusedBy.Select(r => $"{r.Value} x {r.Key}"))})";

    private static double Percentile(List<double> sorted, double share) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];

    private static string Ms(double value) => double.IsNaN(value) ? "-" : double.IsPositiveInfinity(value) ? "never" : $"{value:F0} ms";

    private static string Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "-" : $"{list.Min():F1} to {list.Max():F1}";
    }
}

/// <summary>The cluster phase's settings: how long the newsroom writes, how many kills at least, which store the instances use.</summary>
internal sealed record ClusterOptions(TimeSpan Duration, int Kills, string Store);
