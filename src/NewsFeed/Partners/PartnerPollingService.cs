using Microsoft.Extensions.Options;
using NewsFeed.Storage;

namespace NewsFeed.Partners;

/// <summary>
/// The background loop: it only ticks (on the app's TimeProvider) and hands due partners to
/// <see cref="PartnerPoller"/>. It does not wait for a tick's polls before the next tick, so a slow partner
/// never delays the others; a partner still in flight is simply not started twice. On shutdown the polls
/// in flight are cancelled and awaited.
/// </summary>
internal sealed partial class PartnerPollingService(
    PartnerPoller poller,
    TimeProvider time,
    IOptions<PartnerOptions> options,
    ILogger<PartnerPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PollingEnabled)
        {
            return;
        }
        // Leases this instance id still holds are from a process that died with them (restarted under the same
        // Instance:Id): none of those polls is running, so the partners are free now, not a lease later.
        await ReleaseLeasesAsync();
        using var timer = new PeriodicTimer(options.Value.TickInterval, time);
        try
        {
            do
            {
                _ = TickAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await poller.DrainAsync();
            // The cancelled polls saved nothing: another instance may poll those partners now, not a lease later.
            await ReleaseLeasesAsync();
        }
    }

    private async Task ReleaseLeasesAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await poller.ReleaseLeasesAsync(timeout.Token);
        }
        catch (Exception exception) when (StoreUnavailable.Is(exception) || exception is OperationCanceledException)
        {
            LogReleaseFailed(exception.Message);
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            await poller.PollDueAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception exception) when (StoreUnavailable.Is(exception))
        {
            // The store is unavailable (restarting, say): one line, and the next tick tries again.
            LogStoreUnavailable(exception.Message);
        }
        catch (Exception exception)
        {
            LogTickFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "This instance's partner poll leases could not be released ({Reason}); they expire by themselves")]
    private partial void LogReleaseFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner polling waits: the store is unavailable ({Reason})")]
    private partial void LogStoreUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partner polling tick failed")]
    private partial void LogTickFailed(Exception exception);
}
