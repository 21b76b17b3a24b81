using Microsoft.Extensions.Options;

namespace NewsFeed.Articles;

/// <summary>
/// Catches the store up with its file every few seconds so that articles written by another process (the
/// import command run beside the server) reach the feeds without a restart. Writes made through this
/// process invalidate their feeds at once and do not wait for this.
/// </summary>
internal sealed partial class ArticleStoreWatcher(
    IArticleStore store,
    IOptions<ArticleStoreOptions> options,
    ILogger<ArticleStoreWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time, not the app's clock: this is polling a file, and a test that moves the app's clock by
        // a month must not fire a month of ticks.
        using var timer = new PeriodicTimer(options.Value.ExternalChangeCheckInterval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await store.CatchUpAsync(stoppingToken))
                    {
                        LogExternalChange();
                    }
                }
                catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException)
                {
                    LogCheckFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The store was written by another process; every feed will re-render")]
    private partial void LogExternalChange();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the store for outside writes")]
    private partial void LogCheckFailed(Exception exception);
}
