using Microsoft.Data.Sqlite;
using NewsFeed.Storage;
using Xunit.Abstractions;

namespace NewsFeed.Tests.Storage;

/// <summary>
/// Reads a query's plan on each engine and checks that it walks one index in order and stops: no table scan, no
/// sort, no temporary B-tree. Parameters the query does not name are left out, so one list serves every query.
/// </summary>
internal static class QueryPlans
{
    /// <summary>SQLite's EXPLAIN QUERY PLAN: uses <paramref name="index"/>; no "SCAN" of a table, no "USE TEMP B-TREE".</summary>
    public static string AssertSqlite(SqliteFile file, string sql, string index, IEnumerable<(string Name, object Value)> parameters, ITestOutputHelper? output = null)
    {
        using var connection = new SqliteConnection(file.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            if (sql.Contains(name, StringComparison.Ordinal)) command.Parameters.AddWithValue(name, value);
        }
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) plan.Add(reader.GetString(3));
        }
        var text = string.Join(" | ", plan);
        output?.WriteLine($"EXPLAIN QUERY PLAN (SQLite):\n{sql}\n{text}\n");
        Assert.Contains(index, text, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", text, StringComparison.Ordinal);
        // "SCAN CONSTANT ROW" is the one-row SELECT around COALESCE, not a table.
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal) && step != "SCAN CONSTANT ROW" && !step.Contains("INDEX", StringComparison.Ordinal));
        return text;
    }

    /// <summary>PostgreSQL's EXPLAIN: an Index (Only) Scan using <paramref name="index"/> under a Limit; no Sort, no Seq Scan.</summary>
    public static async Task<string> AssertPostgresAsync(PostgresDatabase database, string sql, string index, IEnumerable<(string Name, object? Value)> parameters, ITestOutputHelper? output = null)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = PostgresDatabase.Command(connection, null, "EXPLAIN " + sql,
            [.. parameters.Where(p => sql.Contains("@" + p.Name, StringComparison.Ordinal))]);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        }
        var text = string.Join("\n", plan);
        output?.WriteLine($"EXPLAIN (PostgreSQL):\n{sql}\n{text}\n");
        Assert.Matches($"Index (Only )?Scan (Backward )?using {index}", text);
        Assert.Contains("Limit", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        return text;
    }
}
