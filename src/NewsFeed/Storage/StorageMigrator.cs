namespace NewsFeed.Storage;

/// <summary>
/// Brings the store's schema to the current version before anything reads it: registered first, it starts
/// before every other hosted service (seeding, polling, notifiers), and the server listens only after it.
/// </summary>
internal sealed partial class StorageMigrator(SqliteFile file, IConfiguration configuration, ILogger<StorageMigrator> logger) : IHostedService
{
    public Task MigrateAsync(CancellationToken cancellationToken) => SqliteSchema.MigrateAsync(file, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(configuration[StorageOptions.LegacyDatabasePathKey]))
        {
            LogLegacySetting(StorageOptions.LegacyDatabasePathKey, file.Path);
        }
        return MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is set and names the store ({Path}); it is the old name of Storage:DatabasePath, which it overrides: rename it")]
    private partial void LogLegacySetting(string setting, string path);
}
