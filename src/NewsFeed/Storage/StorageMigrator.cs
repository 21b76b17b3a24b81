namespace NewsFeed.Storage;

/// <summary>
/// Brings the store's schema to the current version before anything reads it: registered first, it starts
/// before every other hosted service (seeding, polling, notifiers), and the server listens only after it.
/// </summary>
internal sealed class StorageMigrator(SqliteFile file) : IHostedService
{
    public Task MigrateAsync(CancellationToken cancellationToken) => SqliteSchema.MigrateAsync(file, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
