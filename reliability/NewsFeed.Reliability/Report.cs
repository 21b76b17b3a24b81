using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace NewsFeed.Reliability;

/// <summary>The suite's Markdown report: totals first, then each phase's checks and figures.</summary>
internal static class Report
{
    public static string Write(List<PhaseResult> results, Options options, TimeSpan elapsed, SuitePaths paths)
    {
        var text = new StringBuilder();
        var passed = results.All(r => r.Passed);
        long Total(string count) => results.Sum(r => r.Counts.GetValueOrDefault(count));
        text.Append("# Reliability report\n\n");
        text.Append("Written by `reliability/run` (see docs/reliability.md); do not edit by hand.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- **Result: {(passed ? "passed" : "FAILED")}** in {elapsed.TotalMinutes:F1} minutes\n");
        text.Append(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; commit {Git(paths, "rev-parse --short HEAD")}{(Git(paths, "status --porcelain --untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "")}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Run: flood {options.Flood}, soak {options.Soak}, {options.Crashes} crashes, cluster {options.Cluster} with at least {options.Kills} kills ({options.ClusterStore}), {options.WritesPerSecond} writes/s, seed {options.Seed}{(options.Only is { } only ? $", only {only}" : "")}\n\n");
        text.Append("| Total | |\n| --- | --- |\n");
        text.Append(CultureInfo.InvariantCulture, $"| requests served | {Total("requests served"):N0} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| errors (failed checks; error lines in server logs) | {results.Sum(r => r.Checks.Count(c => !c.Passed))}; {Total("errors")} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| writes checked | {Total("writes checked"):N0} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| crashes survived | {Total("crashes survived")} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| hostile inputs tried | {Total("hostile inputs tried")} |\n\n");
        foreach (var result in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"## {result.Name}: {(result.Passed ? "passed" : "FAILED")}\n\n");
            foreach (var (name, figure) in result.Figures.Where(f => !f.Value.Contains('\n', StringComparison.Ordinal)))
            {
                text.Append(CultureInfo.InvariantCulture, $"- {name}: {figure}\n");
            }
            text.Append('\n');
            foreach (var (ok, check) in result.Checks.Where(c => !c.Passed || !result.Figures.ContainsKey("Hostile input table")))
            {
                text.Append(CultureInfo.InvariantCulture, $"- [{(ok ? "x" : " ")}] {check}\n");
            }
            foreach (var (_, table) in result.Figures.Where(f => f.Value.Contains('\n', StringComparison.Ordinal)))
            {
                text.Append('\n').Append(table);
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";

    private static string Git(SuitePaths paths, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = paths.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
