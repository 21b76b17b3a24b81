namespace NewsFeed.Reliability;

/// <summary>What one phase of the suite checked, measured and counted.</summary>
internal sealed class PhaseResult(string name)
{
    public string Name { get; } = name;

    public List<(bool Passed, string Text)> Checks { get; } = [];

    /// <summary>Measurements for the report, in the order they were taken.</summary>
    public Dictionary<string, string> Figures { get; } = [];

    /// <summary>The totals the report adds up across phases (requests served, writes checked, ...).</summary>
    public Dictionary<string, long> Counts { get; } = [];

    public bool Passed => Checks.All(c => c.Passed);

    public void Require(bool condition, string passed, string failed)
    {
        Checks.Add((condition, condition ? passed : $"{passed}: FAILED, {failed}"));
        Console.WriteLine($"  [{(condition ? "ok" : "FAIL")}] {Checks[^1].Text}");
    }
}

/// <summary>The server's log must hold no error or critical line: an unhandled exception, a 500, a failed tick.</summary>
internal static class ServerLogCheck
{
    public static void Require(PhaseResult result, string logPath)
    {
        var errors = File.ReadLines(logPath).Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        var warnings = File.ReadLines(logPath).Count(line => line.StartsWith("warn:", StringComparison.Ordinal));
        result.Figures[$"{result.Name} server log"] = $"{errors.Count} error lines, {warnings} warnings ({Path.GetFileName(logPath)})";
        result.Counts["errors"] = result.Counts.GetValueOrDefault("errors") + errors.Count;
        // A stack trace is one line (SingleLine); its first few hundred characters say what failed, the log has the rest.
        result.Require(errors.Count == 0, "no error or critical line in the server log", string.Join(" | ", errors.Take(3).Select(e => e.Length <= 400 ? e : e[..400] + "…")));
    }
}

/// <summary>
/// The cluster's server logs (lines start with a UTC time): no error or critical line outside the database restart.
/// While the database is down an instance may rightly log that it cannot reach it; those lines are counted apart.
/// </summary>
internal static class ClusterLogCheck
{
    public static void Require(PhaseResult result, IEnumerable<string> logPaths, FaultWindow? database)
    {
        var outside = new List<string>();
        int inside = 0, warnings = 0, lines = 0, named = 0;
        foreach (var path in logPaths.Where(File.Exists))
        {
            // cluster-a.log is instance a's: Instance:Id=a is to be on each of its lines, as "[a] ".
            var id = $"[{Path.GetFileNameWithoutExtension(path).Split('-')[^1]}] ";
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ', 3);
                if (parts.Length < 2) continue;
                lines++;
                if (line.Contains(id, StringComparison.Ordinal)) named++;
                if (parts[1] == "warn:") warnings++;
                if (parts[1] is not ("fail:" or "crit:")) continue;
                var at = DateTimeOffset.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : (DateTimeOffset?)null;
                // A few seconds after the database is back, an instance may still be finishing what failed while it was down.
                if (at is { } t && database is not null && t >= database.Start && t <= database.End.AddSeconds(5)) inside++;
                else outside.Add($"{Path.GetFileName(path)}: {line}");
            }
        }
        result.Figures[$"{result.Name} server logs"] = $"{outside.Count} error lines outside the database restart, {inside} inside it, {warnings} warnings; {named} of {lines} lines name their instance (cluster-a/b/c.log)";
        result.Counts["errors"] = result.Counts.GetValueOrDefault("errors") + outside.Count;
        result.Require(outside.Count == 0, "no error or critical line in the instances' logs outside the database restart", string.Join(" | ", outside.Take(3)));
    }
}
