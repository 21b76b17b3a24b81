namespace NewsFeed.Articles;

/// <summary>
/// An embargoed article enters its feeds when its time comes, with no write to announce it. This service
/// sleeps (on the app's clock) until the next embargo lift, then has the store announce every lift up to now
/// (<see cref="IArticleStore.AnnounceLiftsAsync"/>: the outbox messages that tell the WebSub hubs, written once
/// however many instances share the store). A write wakes it, since it may have set an earlier lift. Lifts that
/// pass while every instance is down are announced at the next start.
/// </summary>
internal sealed partial class EmbargoLiftAnnouncer(
    IArticleStore store,
    TimeProvider time,
    ILogger<EmbargoLiftAnnouncer> logger) : BackgroundService
{
    /// <summary>The longest sleep, so an embargo written by another process or instance is still announced in time.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Called after every write: the next lift may be earlier than the one being waited for.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another write woke it first.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A write's wake-up only re-reads the next lift; announcing (a write to the store) follows the clock.
        var announce = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (announce)
                {
                    foreach (var article in await store.AnnounceLiftsAsync(time.GetUtcNow(), stoppingToken))
                    {
                        LogLifted(article.Id);
                    }
                }
                var next = await store.GetNextEmbargoLiftAsync(time.GetUtcNow(), stoppingToken);
                var sleep = next is { } lift ? lift - time.GetUtcNow() : MaxSleep;
                sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep;
                using var woken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var slept = Task.Delay(sleep, time, woken.Token);
                announce = await Task.WhenAny(slept, _wake.WaitAsync(woken.Token)) == slept;
                await woken.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or IOException)
            {
                LogFailed(exception.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embargo on article {ArticleId} lifted; hubs will be told")]
    private partial void LogLifted(Guid articleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce lifted embargoes: {Reason}; trying again in 5 s")]
    private partial void LogFailed(string reason);
}
