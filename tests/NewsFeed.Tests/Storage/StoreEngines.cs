using System.Reflection;
using NewsFeed.Tests.Browser;
using Xunit.Sdk;

namespace NewsFeed.Tests.Storage;

/// <summary>The engines every store contract test runs on: a theory's parameter, one row per engine attribute.</summary>
public enum StoreEngine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the PostgreSQL cases find a server: the connection string in NEWSFEED_TEST_POSTGRES (a maintenance
/// database; each test makes its own). Without it they are skipped on a developer machine and fail under CI=true.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "NEWSFEED_TEST_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string? SkipReason => ConnectionString is not null || Chromium.IsCI
        ? null
        : $"PostgreSQL case skipped: {Variable} is not set. Start a throwaway server with `eval \"$(tests/postgres/start)\"` "
          + "(it installs Debian's postgresql when missing, as .ci/run does), run the tests again, then `tests/postgres/stop`. "
          + "With CI=true these cases run and fail instead.";

    /// <summary>The connection string, or a failure saying how to get one (under CI=true a missing server fails the run).</summary>
    public static string Required => ConnectionString
        ?? throw new InvalidOperationException($"{Variable} is not set and CI=true: .ci/run starts PostgreSQL with tests/postgres/start and sets it.");
}

/// <summary>The SQLite row of a store contract theory.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnSqliteAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreEngine.Sqlite]];
}

/// <summary>The PostgreSQL row of a store contract theory; skipped with how to run it when there is no server (<see cref="TestPostgres.SkipReason"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnPostgresAttribute : DataAttribute
{
    public OnPostgresAttribute()
    {
        if (TestPostgres.SkipReason is { } reason) Skip = reason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreEngine.Postgres]];
}
