using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NewsFeed.Storage;

/// <summary>/readyz: the store answers a query.</summary>
internal sealed class StorageHealthCheck(SqliteFile file) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await file.OpenAsync(cancellationToken);
            await SqliteFile.ScalarAsync(connection, null, "SELECT COUNT(*) FROM articles;", [], cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is SqliteException or IOException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", exception);
        }
    }
}
