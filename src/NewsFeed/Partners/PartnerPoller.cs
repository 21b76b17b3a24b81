using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using NewsFeed.Instance;
using NewsFeed.Storage;

namespace NewsFeed.Partners;

/// <summary>
/// The unit of work of partner polling (the background service only ticks): poll one partner, or every
/// partner that is due. One poll per partner at a time (a second request joins the first), at most
/// <see cref="PartnerOptions.MaxConcurrentPolls"/> fetching at once. A failure is recorded with its reason
/// and pushes the partner's next poll out; it never touches another partner or a stored item, and only a
/// 410 (or an operator) turns a partner off.
/// </summary>
internal sealed partial class PartnerPoller : IDisposable
{
    private readonly ConcurrentDictionary<string, Task<PollResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly IPartnerStore _store;
    private readonly PollInterpreter _interpreter;
    private readonly PartnerFetcher _fetcher;
    private readonly TimeProvider _time;
    private readonly IOptions<PartnerOptions> _options;
    private readonly PartnerMetrics _metrics;
    private readonly ILogger<PartnerPoller> _logger;

    private readonly string _owner;

    public PartnerPoller(IPartnerStore store, PartnerFetcher fetcher, PollInterpreter interpreter, TimeProvider time, IOptions<PartnerOptions> options,
        PartnerMetrics metrics, InstanceIdentity instance, ILogger<PartnerPoller> logger)
    {
        _owner = instance.Id;
        _store = store;
        _fetcher = fetcher;
        _interpreter = interpreter;
        _time = time;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _slots = new SemaphoreSlim(options.Value.MaxConcurrentPolls, options.Value.MaxConcurrentPolls);
    }

    /// <summary>
    /// Claims the partners that are due (as many as there are free slots: a claimed partner starts at once, well
    /// inside its lease), polls them, and waits for them all. Instances sharing a store never claim one partner
    /// for the same due time.
    /// </summary>
    public async Task<IReadOnlyList<PollResult>> PollDueAsync(CancellationToken cancellationToken)
    {
        var free = _options.Value.MaxConcurrentPolls - _inFlight.Count;
        if (free <= 0) return [];
        var due = await _store.ClaimDueAsync(_owner, _time.GetUtcNow(), _options.Value.LeaseTime, free, cancellationToken);
        return await Task.WhenAll(due.Select(id => PollAsync(id, claimed: true, cancellationToken)));
    }

    /// <summary>Polls one partner now, whatever its schedule (the admin API's "poll now"); <see cref="PollOutcome.Busy"/> while another instance polls it.</summary>
    public Task<PollResult> PollAsync(string partnerId, CancellationToken cancellationToken) => PollAsync(partnerId, claimed: false, cancellationToken);

    /// <summary>Releases this instance's poll leases (shutdown: the polls were cancelled), so others poll those partners now.</summary>
    public Task ReleaseLeasesAsync(CancellationToken cancellationToken) => _store.ReleaseAsync(_owner, null, cancellationToken);

    private async Task<PollResult> PollAsync(string partnerId, bool claimed, CancellationToken cancellationToken)
    {
        using var activity = NewsFeedActivity.Source.StartActivity("partner.poll");
        activity?.SetTag("newsfeed.partner.id", partnerId);
        while (true)
        {
            if (_inFlight.TryGetValue(partnerId, out var running))
            {
                return await running.WaitAsync(cancellationToken);
            }
            var flight = new TaskCompletionSource<PollResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(partnerId, flight.Task)) continue;
            try
            {
                flight.SetResult(await PollLeasedAsync(partnerId, claimed, cancellationToken));
            }
            catch (Exception exception)
            {
                flight.SetException(exception);
            }
            finally
            {
                _inFlight.TryRemove(partnerId, out _);
            }
            return await flight.Task;
        }
    }

    /// <summary>Waits for the polls in flight (shutdown: they have been cancelled and end quickly).</summary>
    public async Task DrainAsync()
    {
        try
        {
            await Task.WhenAll(_inFlight.Values);
        }
        catch (OperationCanceledException)
        {
            // Stopped by shutdown, as asked.
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>Holds the partner's lease for the poll (claiming it first for a "poll now") and ends it when the poll is saved.</summary>
    private async Task<PollResult> PollLeasedAsync(string partnerId, bool claimed, CancellationToken cancellationToken)
    {
        if (!claimed && !await _store.TryClaimAsync(partnerId, _owner, _time.GetUtcNow(), _options.Value.LeaseTime, cancellationToken))
        {
            return new PollResult(partnerId, PollOutcome.Busy, "Another instance is polling this partner.", null);
        }
        try
        {
            return await PollOnceAsync(partnerId, cancellationToken);
        }
        finally
        {
            // On shutdown the service releases every lease at once. A store that cannot be reached lets the lease
            // expire instead: the saved next poll (or, if the save failed too, the lease) keeps the partner from a second poll.
            if (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await _store.ReleaseAsync(_owner, partnerId, CancellationToken.None);
                }
                catch (Exception exception) when (StoreUnavailable.Is(exception))
                {
                    LogReleaseFailed(partnerId, exception.Message);
                }
            }
        }
    }

    private async Task<PollResult> PollOnceAsync(string partnerId, CancellationToken cancellationToken)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["PartnerId"] = partnerId });
        if (await _store.GetAsync(partnerId, cancellationToken) is not { } status)
        {
            return new PollResult(partnerId, PollOutcome.Unknown, "There is no such partner.", null);
        }

        await _slots.WaitAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var partner = status.Partner;
        var state = status.State with { LastPoll = _time.GetUtcNow() };
        PollOutcome outcome;
        string? error;
        string? movedTo = null;
        try
        {
            FetchResult fetch;
            try
            {
                fetch = await _fetcher.FetchAsync(new Uri(partner.Url), state.ETag, state.LastModified, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever a partner's answer made go wrong (an unparsable Location, say) is still only its failure.
                fetch = new FetchResult(PollOutcome.Failed, null, $"Unexpected error ({exception.GetType().Name}): {exception.Message}");
            }
            var step = await _interpreter.InterpretAsync(partner, state, fetch, cancellationToken);
            error = step.Error;
            movedTo = step.NewUrl;
            var newState = step.State;
            var updated = step.NewUrl is { } newUrl ? partner with { Url = newUrl } : partner;
            if (step.Gone) updated = updated with { Enabled = false };
            if (!updated.Enabled) newState = newState with { NextPoll = null }; // polled by hand: still not scheduled
            var cap = partner.ItemCap ?? _options.Value.DefaultItemCap;
            // Applied to the partner as it is now: an operator may have changed or removed it meanwhile.
            outcome = await _store.SavePollAsync(partner, updated, newState, step.Items, cap, _options.Value.Retention, _time.GetUtcNow(), step.Outcome, CancellationToken.None);
            if (outcome == PollOutcome.Unknown)
            {
                return new PollResult(partnerId, PollOutcome.Unknown, "The partner was removed during the poll.", null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _metrics.Polled(PollOutcome.Cancelled, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new PollResult(partnerId, PollOutcome.Cancelled, null, null);
        }
        catch (Exception exception)
        {
            // A bug or a storage error after the fetch is still this partner's failure: recorded with a backoff,
            // so it is not polled again at every tick, and logged with its id.
            LogPollError(partnerId, exception);
            var failed = _interpreter.Failure(partner, state, $"Unexpected error ({exception.GetType().Name}): {exception.Message}", PollFailure.Internal, null, null, _time.GetUtcNow());
            (outcome, error) = (failed.Outcome, failed.Error);
            try
            {
                await _store.SavePollAsync(partner, partner, partner.Enabled ? failed.State : failed.State with { NextPoll = null }, null, 0, _options.Value.Retention, _time.GetUtcNow(), outcome, CancellationToken.None);
            }
            catch (Exception again)
            {
                LogPollError(partnerId, again);
            }
        }
        finally
        {
            _slots.Release();
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _metrics.Polled(outcome, elapsed);
        if (error is null) LogPolled(partnerId, outcome, elapsed);
        else LogPollFailed(partnerId, outcome, error, elapsed);
        var after = await _store.GetAsync(partnerId, CancellationToken.None);
        // Only a move the store applied (not one dropped because an operator changed the partner meanwhile).
        if (movedTo is not null && after?.Partner.Url == movedTo) LogMoved(partnerId, partner.Url, movedTo);
        return new PollResult(partnerId, outcome, error, after);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partner {PartnerId} polled: {Outcome} in {Milliseconds:F0} ms")]
    private partial void LogPolled(string partnerId, PollOutcome outcome, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner {PartnerId} poll {Outcome}: {Reason} ({Milliseconds:F0} ms)")]
    private partial void LogPollFailed(string partnerId, PollOutcome outcome, string reason, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partner {PartnerId} moved permanently from {OldUrl} to {NewUrl}; stored URL updated")]
    private partial void LogMoved(string partnerId, string oldUrl, string newUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner {PartnerId}'s poll lease could not be released ({Reason}); it expires by itself")]
    private partial void LogReleaseFailed(string partnerId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partner {PartnerId} poll failed unexpectedly")]
    private partial void LogPollError(string partnerId, Exception exception);

}
