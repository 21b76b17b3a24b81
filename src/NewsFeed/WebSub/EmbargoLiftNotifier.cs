using NewsFeed.Articles;

namespace NewsFeed.WebSub;

/// <summary>
/// An embargoed article enters its feeds when its time comes, with no write to announce it; this
/// service sleeps (on the app's clock) until the next embargo lift and then queues the WebSub pings
/// for the feeds of every article that just became visible. A write wakes it, since it may have set an
/// earlier lift. Lifts that pass while the server is down are not announced (subscribers' polls see them).
/// </summary>
internal sealed partial class EmbargoLiftNotifier(
    IArticleStore store,
    WebSubNotifier notifier,
    TimeProvider time,
    ILogger<EmbargoLiftNotifier> logger) : BackgroundService
{
    /// <summary>The longest sleep, so an embargo written by another process is still announced.</summary>
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
        var announcedUpTo = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = await store.GetNextEmbargoLiftAsync(announcedUpTo, stoppingToken);
                var sleep = next is { } lift ? lift - time.GetUtcNow() : MaxSleep;
                sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep;
                using (var woken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    var slept = Task.Delay(sleep, time, woken.Token);
                    await Task.WhenAny(slept, _wake.WaitAsync(woken.Token));
                    await woken.CancelAsync();
                }
                stoppingToken.ThrowIfCancellationRequested();

                var now = time.GetUtcNow();
                if (now <= announcedUpTo) continue;
                foreach (var article in await store.GetLiftedAsync(announcedUpTo, now, stoppingToken))
                {
                    LogLifted(article.Id);
                    notifier.Enqueue(article.Feeds());
                }
                announcedUpTo = now;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or IOException)
            {
                LogFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embargo on article {ArticleId} lifted; notifying hubs")]
    private partial void LogLifted(Guid articleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check for lifted embargoes")]
    private partial void LogFailed(Exception exception);
}
