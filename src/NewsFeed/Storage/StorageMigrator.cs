using Microsoft.Extensions.Options;

namespace NewsFeed.Storage;

/// <summary>
/// Brings the store's schema to the current version before anything reads it: registered first, it starts
/// before every other hosted service (seeding, polling, notifiers), and the server listens only after it.
/// On PostgreSQL, instances starting together queue on an advisory lock and the first migrates.
/// </summary>
internal sealed partial class StorageMigrator(IServiceProvider services, IOptions<StorageOptions> options, IConfiguration configuration, ILogger<StorageMigrator> logger) : IHostedService
{
    public Task MigrateAsync(CancellationToken cancellationToken) => options.Value.Provider == StorageProvider.Postgres
        ? PostgresSchema.MigrateAsync(services.GetRequiredService<PostgresDatabase>(), cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is set and names the store ({Path}); it is the old name of Storage:DatabasePath, which it overrides: rename it")]
    private partial void LogLegacySetting(string setting, string path);
}
