using Microsoft.Extensions.Options;
using Npgsql;

namespace NewsFeed.Storage;

/// <summary>
/// Brings the store's schema to the current version before anything reads it: registered first, it starts
/// before every other hosted service (seeding, polling, notifiers), and the server listens only after it.
/// On PostgreSQL, instances starting together queue on an advisory lock and the first migrates; an instance
/// started while the database is unreachable (restarting) keeps trying for <see cref="PostgresStartWait"/>.
/// </summary>
internal sealed partial class StorageMigrator(IServiceProvider services, IOptions<StorageOptions> options, IConfiguration configuration, ILogger<StorageMigrator> logger) : IHostedService
{
    internal static readonly TimeSpan PostgresStartWait = TimeSpan.FromMinutes(1);

    public Task MigrateAsync(CancellationToken cancellationToken) => options.Value.Provider == StorageProvider.Postgres
        ? MigratePostgresAsync(cancellationToken)
        : SqliteSchema.MigrateAsync(services.GetRequiredService<SqliteFile>(), cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Provider == StorageProvider.Sqlite && !string.IsNullOrEmpty(configuration[StorageOptions.LegacyDatabasePathKey]))
        {
            LogLegacySetting(StorageOptions.LegacyDatabasePathKey, services.GetRequiredService<SqliteFile>().Path);
        }
        return MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigratePostgresAsync(CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<PostgresDatabase>();
        var deadline = DateTime.UtcNow + PostgresStartWait;
        var retry = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await PostgresSchema.MigrateAsync(database, cancellationToken);
                return;
            }
            // Transient: refused, reset, starting up, shutting down, too many connections; a failing migration is not.
            catch (NpgsqlException exception) when (exception.IsTransient && DateTime.UtcNow + retry < deadline && !cancellationToken.IsCancellationRequested)
            {
                LogUnreachable(exception.GetType().Name, exception.Message, retry.TotalSeconds);
            }
            await Task.Delay(retry, cancellationToken);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is set and names the store ({Path}); it is the old name of Storage:DatabasePath, which it overrides: rename it")]
    private partial void LogLegacySetting(string setting, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store cannot be migrated yet ({Reason}: {Detail}); retrying in {RetrySeconds} s")]
    private partial void LogUnreachable(string reason, string detail, double retrySeconds);
}
