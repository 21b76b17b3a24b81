using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NewsFeed.Storage;

/// <summary>/readyz on the shared store: PostgreSQL answers a query. Not hearing other instances' changes is degraded, not down (feed versions are then read from the database).</summary>
internal sealed class PostgresHealthCheck(PostgresDatabase database, PostgresChangeListener listener) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await PostgresDatabase.ScalarAsync(connection, null, "SELECT 1 FROM articles LIMIT 1;", [], cancellationToken);
        }
        catch (Exception exception) when (StoreUnavailable.Is(exception))
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", exception);
        }
        return listener.IsListening
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("The store answers, but this instance is not hearing its change notifications yet.");
    }
}
