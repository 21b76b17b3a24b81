using Microsoft.Extensions.Options;

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
        catch (Exception exception)
        {
            // The store may be briefly unavailable; the next tick tries again.
            LogTickFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Partner polling tick failed")]
    private partial void LogTickFailed(Exception exception);
}
