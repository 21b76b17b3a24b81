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
        result.Require(errors.Count == 0, "no error or critical line in the server log", string.Join(" | ", errors.Take(3)));
    }
}
