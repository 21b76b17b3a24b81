using Microsoft.Extensions.Options;

namespace NewsFeed.Articles;

/// <summary>
/// Runs before the server listens, after the schema is migrated: catches the store's versions up with the
/// file, then seeds an empty store from the configured folder (first start only; later edits to the files
/// go through the import command).
/// </summary>
internal sealed partial class ArticleSeeder(
    IArticleStore store,
    ArticleImporter importer,
    IOptions<ArticleStoreOptions> options,
    IHostEnvironment environment,
    ILogger<ArticleSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.CatchUpAsync(cancellationToken);
        if (options.Value.SeedDirectory is not { Length: > 0 } seed || await store.CountAsync(cancellationToken) > 0)
        {
            return;
        }
        var directory = Path.GetFullPath(seed, environment.ContentRootPath);
        if (!Directory.Exists(directory))
        {
            LogSeedMissing(directory);
            return;
        }
        // Silent: sample articles in a store no one can have subscribed to yet are nothing to tell the hubs.
        await importer.ImportDirectoryAsync(directory, cancellationToken, announce: false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store is empty and the seed folder {Directory} does not exist; starting with no articles")]
    private partial void LogSeedMissing(string directory);
}
