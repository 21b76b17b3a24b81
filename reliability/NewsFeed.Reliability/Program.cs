using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using NewsFeed.Reliability;

// NewsFeed's reliability suite: hostile clients, a flood of feed variants under a heap limit, a soak under load with
// flapping partners, kill -9 crashes, and a cluster of three instances on PostgreSQL behind HAProxy with kills and a
// database restart, and Varnish with xkey in front of one instance (edge), against the Release server as its own processes. `reliability/run` builds everything and runs this.
//   --flood <duration>    how long the variant flood's clients keep asking (default 00:00:40)
//   --soak <duration>     how long the soak runs (default 00:01:30; e.g. 02:00:00 for a long run)
//   --crashes <n>         kill -9 cycles (default 20)
//   --writes <per second> the soak's publish/correct/retract rate (default 5)
//   --cluster <duration>  how long the cluster phase writes and kills (default 00:01:30)
//   --kills <n>           instance kills in the cluster phase, at least (default 10)
//   --cluster-store <s>   the cluster instances' Storage:Provider: Postgres (default), or Sqlite to try the harness
//                         on a build without the PostgreSQL store (its instances cannot agree; checks will fail)
//   --seed <n>            the random seed of kill times and writes (default: from the clock; the report names it)
//   --report <file>       where the Markdown report goes (default reliability/report.md)
//   --work <folder>       where databases and server logs go (default a new folder under /tmp)
//   --edge-writes <n>     the edge phase's newsroom writes, one a second (default 30)
//   --only <phase>        hostile, flood, soak, crash, cluster or edge
var options = Options.Parse(args);
var paths = SuitePaths.Find(options.Work);
var apiKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
Console.WriteLine($"NewsFeed reliability suite: flood {options.Flood}, soak {options.Soak}, {options.Crashes} crashes, cluster {options.Cluster} with {options.Kills} kills (seed {options.Seed}), files in {paths.WorkDirectory}");

var clock = Stopwatch.StartNew();
var results = new List<PhaseResult>();
async Task Phase(string name, Func<Task<PhaseResult>> run)
{
    if (options.Only is not null && options.Only != name) return;
    Console.WriteLine($"{name}:");
    try
    {
        results.Add(await run());
    }
    catch (Exception error)
    {
        var failed = new PhaseResult(name);
        failed.Require(false, $"{name} ran to the end", error.ToString());
        results.Add(failed);
    }
}

await Phase("hostile", () => HostileClients.RunAsync(paths, apiKey));
await Phase("flood", () => VariantFlood.RunAsync(paths, options.Flood, options.Seed, apiKey));
await Phase("soak", () => Soak.RunAsync(paths, options.Soak, options.WritesPerSecond, apiKey));
await Phase("crash", () => CrashTest.RunAsync(paths, options.Crashes, seed: options.Seed, apiKey));
await Phase("cluster", () => Cluster.RunAsync(paths, new ClusterOptions(options.Cluster, options.Kills, options.ClusterStore), options.WritesPerSecond, options.Seed, apiKey));
await Phase("edge", () => EdgeCache.RunAsync(paths, options.EdgeWrites, apiKey));

var report = Report.Write(results, options, clock.Elapsed, paths);
var reportPath = options.Report ?? Path.Combine(paths.RepoRoot, "reliability", "report.md");
await File.WriteAllTextAsync(reportPath, report);
var passed = results.All(r => r.Passed);
Console.WriteLine($"{(passed ? "PASSED" : "FAILED")} in {clock.Elapsed.TotalSeconds:F0} s; report: {reportPath}");
return passed ? 0 : 1;

internal sealed record Options(TimeSpan Soak, int Crashes, double WritesPerSecond, int Seed, string? Report, string? Work, string? Only)
{
    public TimeSpan Flood { get; init; } = TimeSpan.FromSeconds(40);
    public TimeSpan Cluster { get; init; } = TimeSpan.FromSeconds(90);
    public int Kills { get; init; } = 10;
    public string ClusterStore { get; init; } = "Postgres";
    public int EdgeWrites { get; init; } = 30;

    public static Options Parse(string[] args)
    {
        var options = new Options(TimeSpan.FromSeconds(90), 20, 5, Environment.TickCount & 0xffff, null, null, null);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--flood" => options with { Flood = TimeSpan.Parse(value, CultureInfo.InvariantCulture) },
                "--soak" => options with { Soak = TimeSpan.Parse(value, CultureInfo.InvariantCulture) },
                "--crashes" => options with { Crashes = int.Parse(value, CultureInfo.InvariantCulture) },
                "--writes" => options with { WritesPerSecond = double.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--report" => options with { Report = Path.GetFullPath(value) },
                "--work" => options with { Work = Path.GetFullPath(value) },
                "--only" => options with { Only = value },
                "--cluster" => options with { Cluster = TimeSpan.Parse(value, CultureInfo.InvariantCulture) },
                "--kills" => options with { Kills = int.Parse(value, CultureInfo.InvariantCulture) },
                "--cluster-store" => options with { ClusterStore = value },
                "--edge-writes" => options with { EdgeWrites = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}; see the top of reliability/NewsFeed.Reliability/Program.cs."),
            };
        }
        return options;
    }
}
