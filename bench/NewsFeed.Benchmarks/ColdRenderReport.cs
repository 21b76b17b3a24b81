using System.Globalization;
using System.Text;
using BenchmarkDotNet.Running;

namespace NewsFeed.Benchmarks;

/// <summary>Runs <see cref="ColdRenderBenchmarks"/> and writes its figures (<c>output</c>) and target rows (<c>output.targets</c>) as markdown for results.md.</summary>
internal static class ColdRenderReport
{
    /// <summary>Issue #6: at most 2 ms median at 100k articles; the 1M figure within 1.5x of the 100k one.</summary>
    private const double MaxMedianMs = 2.0;
    private const double MaxGrowth = 1.5;

    public static int Run(string output, string[] args)
    {
        var summary = BenchmarkSwitcher.FromTypes([typeof(ColdRenderBenchmarks)]).RunAll(null, args).Single();
        var rows = summary.Reports
            .Where(report => report.ResultStatistics is not null)
            .Select(report => new Row(
                Feed: report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
                Format: report.BenchmarkCase.Parameters["Format"]!.ToString()!.ToLowerInvariant(),
                Articles: (int)report.BenchmarkCase.Parameters["Articles"]!,
                MedianMs: report.ResultStatistics!.Median / 1e6,
                P95Ms: report.ResultStatistics.Percentiles.P95 / 1e6,
                AllocatedKb: (report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0) / 1024.0))
            .ToList();
        if (rows.Count != summary.BenchmarksCases.Length)
        {
            Console.Error.WriteLine($"{summary.BenchmarksCases.Length - rows.Count} benchmark cases failed; see the log above.");
            return 1;
        }

        var text = new StringBuilder();
        text.AppendLine("| Feed | Format | Articles | Median | P95 | Allocated |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var row in rows.OrderBy(r => r.Feed).ThenBy(r => r.Format).ThenBy(r => r.Articles))
        {
            text.AppendLine(Invariant($"| {row.Feed} | {row.Format} | {row.Articles:N0} | {row.MedianMs:F3} ms | {row.P95Ms:F3} ms | {row.AllocatedKb:N0} KB |"));
        }
        // Rows of results.md's target table (Target | Figure | Met), written beside the figures.
        var targets = new StringBuilder();
        foreach (var group in rows.GroupBy(r => (r.Feed, r.Format)).OrderBy(g => g.Key.Feed).ThenBy(g => g.Key.Format))
        {
            var at100K = group.SingleOrDefault(r => r.Articles == 100_000);
            var at1M = group.SingleOrDefault(r => r.Articles == 1_000_000);
            if (at100K is null) continue;
            targets.AppendLine(Invariant($"| cold render, {group.Key.Feed} {group.Key.Format}: median at 100k <= {MaxMedianMs} ms | {at100K.MedianMs:F3} ms | {AtMost(at100K.MedianMs, MaxMedianMs)} |"));
            if (at1M is null) continue;
            var growth = at1M.MedianMs / at100K.MedianMs;
            targets.AppendLine(Invariant($"| cold render, {group.Key.Feed} {group.Key.Format}: 1M within {MaxGrowth}x of 100k | {growth:F2}x | {AtMost(growth, MaxGrowth)} |"));
        }
        File.WriteAllText(output + ".targets", targets.ToString());
        File.WriteAllText(output, text.ToString());
        Console.WriteLine(text);
        Console.WriteLine(targets);
        return 0;
    }

    /// <summary>The Met and Missed-by cells of a target "at most <paramref name="target"/>".</summary>
    private static string AtMost(double value, double target) =>
        value <= target ? "met | " : Invariant($"**missed** | {(value / target - 1) * 100:F0} % over");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Row(string Feed, string Format, int Articles, double MedianMs, double P95Ms, double AllocatedKb);
}
