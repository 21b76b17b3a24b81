using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NewsFeed.Feeds;

namespace NewsFeed.Partners;

/// <summary>How a poll ended; also the "outcome" tag of the partner poll metric.</summary>
public static class PollOutcomes
{
    /// <summary>Fetched and parsed; stored items changed.</summary>
    public const string Updated = "updated";
    /// <summary>Fetched and parsed; nothing new.</summary>
    public const string Unchanged = "unchanged";
    /// <summary>304 Not Modified: nothing re-parsed.</summary>
    public const string NotModified = "not_modified";
    /// <summary>410 Gone: the partner is disabled.</summary>
    public const string Gone = "gone";
    public const string Failed = "failed";
    /// <summary>The poll was stopped by shutdown; nothing recorded.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>No such partner.</summary>
    public const string Unknown = "unknown";
}

public sealed record PollResult(string PartnerId, string Outcome, string? Error, PartnerStatus? Status);

/// <summary>
/// The unit of work of partner polling (the background service only ticks): poll one partner, or every
/// partner that is due. One poll per partner at a time (a second request joins the first), at most
/// <see cref="PartnerOptions.MaxConcurrentPolls"/> fetching at once. A failure is recorded with its reason
/// and pushes the partner's next poll out; it never touches another partner or a stored item, and only a
/// 410 (or an operator) turns a partner off.
/// </summary>
public sealed partial class PartnerPoller : IDisposable
{
    private readonly ConcurrentDictionary<string, Task<PollResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly PartnerStore _store;
    private readonly PartnerFetcher _fetcher;
    private readonly TimeProvider _time;
    private readonly IOptions<PartnerOptions> _options;
    private readonly PartnerMetrics _metrics;
    private readonly ILogger<PartnerPoller> _logger;

    public PartnerPoller(PartnerStore store, PartnerFetcher fetcher, TimeProvider time, IOptions<PartnerOptions> options, PartnerMetrics metrics, ILogger<PartnerPoller> logger)
    {
        _store = store;
        _fetcher = fetcher;
        _time = time;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _slots = new SemaphoreSlim(options.Value.MaxConcurrentPolls, options.Value.MaxConcurrentPolls);
    }

    /// <summary>Polls every enabled partner whose next poll is due, at most MaxConcurrentPolls at once, and waits for them all.</summary>
    public async Task<IReadOnlyList<PollResult>> PollDueAsync(CancellationToken cancellationToken)
    {
        var due = await _store.DueAsync(_time.GetUtcNow(), cancellationToken);
        return await Task.WhenAll(due.Select(id => PollAsync(id, cancellationToken)));
    }

    /// <summary>Polls one partner now, whatever its schedule (the admin API's "poll now" too).</summary>
    public async Task<PollResult> PollAsync(string partnerId, CancellationToken cancellationToken)
    {
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
                flight.SetResult(await PollOnceAsync(partnerId, cancellationToken));
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

    private async Task<PollResult> PollOnceAsync(string partnerId, CancellationToken cancellationToken)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["PartnerId"] = partnerId });
        if (await _store.GetAsync(partnerId, cancellationToken) is not { } status)
        {
            return new PollResult(partnerId, PollOutcomes.Unknown, "There is no such partner.", null);
        }

        await _slots.WaitAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var partner = status.Partner;
        var state = status.State with { LastPoll = _time.GetUtcNow() };
        string outcome;
        string? error;
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
                fetch = new FetchResult(FetchOutcome.Failed, null, $"Unexpected error ({exception.GetType().Name}): {exception.Message}");
            }
            (outcome, error, var newState, var newUrl, var gone, var items) = await InterpretAsync(partner, state, fetch, cancellationToken);

            var updated = newUrl is null ? partner : partner with { Url = newUrl };
            if (gone) updated = updated with { Enabled = false };
            if (!updated.Enabled) newState = newState with { NextPoll = null }; // polled by hand: still not scheduled
            var cap = partner.ItemCap ?? _options.Value.DefaultItemCap;
            // Applied to the partner as it is now: an operator may have changed or removed it meanwhile.
            var saved = await _store.SavePollAsync(partner, updated, newState, items, cap, _options.Value.Retention, _time.GetUtcNow(), CancellationToken.None);
            if (saved == PollSaved.Removed)
            {
                return new PollResult(partnerId, PollOutcomes.Unknown, "The partner was removed during the poll.", null);
            }
            if (saved == PollSaved.ItemsChanged) outcome = PollOutcomes.Updated;
            if (newUrl is not null && saved != PollSaved.Superseded) LogMoved(partnerId, partner.Url, newUrl);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _metrics.Polled(PollOutcomes.Cancelled, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new PollResult(partnerId, PollOutcomes.Cancelled, null, null);
        }
        catch (Exception exception)
        {
            // A bug or a storage error after the fetch is still this partner's failure: recorded with a backoff,
            // so it is not polled again at every tick, and logged with its id.
            LogPollError(partnerId, exception);
            (outcome, error, var failed, _, _, _) = Failure(partner, state, $"Unexpected error ({exception.GetType().Name}): {exception.Message}", null, null, _time.GetUtcNow(), null);
            try
            {
                await _store.SavePollAsync(partner, partner, partner.Enabled ? failed : failed with { NextPoll = null }, null, 0, _options.Value.Retention, _time.GetUtcNow(), CancellationToken.None);
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
        return new PollResult(partnerId, outcome, error, await _store.GetAsync(partnerId, CancellationToken.None));
    }

    private async Task<(string Outcome, string? Error, PartnerState State, string? NewUrl, bool Gone, List<StoredPartnerItem>? Items)> InterpretAsync(
        Partner partner, PartnerState state, FetchResult fetch, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        // A permanent move counts only once the new address answered (200 or 304) and passes the rules a URL
        // an operator gives must pass; a move to an error, a loop, a timeout or a refused address changes nothing.
        string? newUrl = null;
        if (fetch.Outcome is FetchOutcome.Fetched or FetchOutcome.NotModified && fetch.PermanentUrl is { } moved)
        {
            if (PartnerRules.CheckUrl(moved.AbsoluteUri, _options.Value) is { } refused) LogMoveRefused(partner.Id, moved.AbsoluteUri, refused);
            else newUrl = moved.AbsoluteUri;
        }
        switch (fetch.Outcome)
        {
            case FetchOutcome.NotModified:
                return (PollOutcomes.NotModified, null, Succeeded(partner, state, fetch, now) with { ETag = fetch.ETag, LastModified = fetch.LastModified }, newUrl, false, null);

            case FetchOutcome.Gone:
                return (PollOutcomes.Gone, fetch.Error, state with
                {
                    LastStatus = fetch.Status,
                    LastError = fetch.Error,
                    LastErrorAt = now,
                    DisabledReason = fetch.Error,
                    NextPoll = null,
                }, null, true, null);

            case FetchOutcome.Failed:
                return Failure(partner, state, fetch.Error ?? "The fetch failed.", fetch.Status, fetch.RetryAfter, now, null);
        }

        PartnerFeed feed;
        try
        {
            var limits = new PartnerParserLimits { MaxItems = Math.Min(partner.ItemCap ?? _options.Value.DefaultItemCap, 1_000) };
            // The parser is CPU-bound over a capped body; off the request path, on the pool.
            feed = await Task.Run(() => PartnerFeedParser.Parse(fetch.Body, fetch.ContentType, fetch.FinalUrl!, limits, _time), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // PartnerFeedException is the parser's word; anything else is a parser bug, and still only this partner's failure.
            var reason = exception is PartnerFeedException ? exception.Message : $"Parser error ({exception.GetType().Name}): {exception.Message}";
            return Failure(partner, state, reason, fetch.Status, null, now, null);
        }
        foreach (var warning in feed.Warnings.Take(20)) LogParseWarning(partner.Id, warning);

        var siteUrl = feed.Link ?? state.SiteUrl;
        var items = feed.Items.Select(item => new StoredPartnerItem
        {
            Item = item,
            PartnerId = partner.Id,
            PartnerName = partner.Name,
            Attribution = partner.Attribution,
            SiteUrl = siteUrl,
            FeedUrl = newUrl ?? partner.Url,
            Section = partner.Section,
            FirstSeen = now,
            FetchedAt = now,
        }).ToList();
        var succeeded = Succeeded(partner, state, fetch, now) with
        {
            ETag = fetch.ETag,
            LastModified = fetch.LastModified,
            SiteUrl = siteUrl,
            Warnings = feed.Warnings.Count == 0 ? null : feed.Warnings.Take(10).ToList(),
        };
        return (PollOutcomes.Unchanged, null, succeeded, newUrl, false, items);
    }

    private PartnerState Succeeded(Partner partner, PartnerState state, FetchResult fetch, DateTimeOffset now)
    {
        var options = _options.Value;
        var delay = Interval(partner);
        // A partner's Cache-Control max-age may push the next poll out (never in), within our bounds.
        if (fetch.MaxAge is { } maxAge && maxAge > delay) delay = maxAge;
        return state with
        {
            LastStatus = fetch.Status,
            LastSuccess = now,
            ConsecutiveFailures = 0,
            NextPoll = now + Jittered(Clamp(delay, options)),
        };
    }

    private (string, string?, PartnerState, string?, bool, List<StoredPartnerItem>?) Failure(
        Partner partner, PartnerState state, string reason, int? status, TimeSpan? retryAfter, DateTimeOffset now, string? newUrl)
    {
        var options = _options.Value;
        var failures = state.ConsecutiveFailures + 1;
        // Exponential backoff on the partner's own interval (1x, 2x, 4x, ...) up to MaxPollDelay; a Retry-After
        // (429, 503) pushes it further, but never past MaxPollDelay, so transient errors never stop polling for good.
        // In double seconds, clamped before it becomes a TimeSpan: a long interval times 2^n overflows one.
        var backoff = Interval(partner).TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var delay = backoff >= options.MaxPollDelay.TotalSeconds ? options.MaxPollDelay : TimeSpan.FromSeconds(backoff);
        if (retryAfter is { } after && after > delay) delay = after;
        return (PollOutcomes.Failed, reason, state with
        {
            LastStatus = status,
            LastError = reason,
            LastErrorAt = now,
            ConsecutiveFailures = failures,
            NextPoll = now + Jittered(Clamp(delay, options)),
        }, newUrl, false, null);
    }

    private TimeSpan Interval(Partner partner) => partner.PollInterval ?? _options.Value.DefaultPollInterval;

    private static TimeSpan Clamp(TimeSpan delay, PartnerOptions options) =>
        delay < options.MinPollInterval ? options.MinPollInterval : delay > options.MaxPollDelay ? options.MaxPollDelay : delay;

    /// <summary>Adds up to Jitter × delay, never less: partners polled together drift apart, and a Retry-After is never undercut.</summary>
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
    private TimeSpan Jittered(TimeSpan delay) => delay + (delay * (_options.Value.Jitter * Random.Shared.NextDouble()));
#pragma warning restore CA5394

    [LoggerMessage(Level = LogLevel.Information, Message = "Partner {PartnerId} polled: {Outcome} in {Milliseconds:F0} ms")]
    private partial void LogPolled(string partnerId, string outcome, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner {PartnerId} poll {Outcome}: {Reason} ({Milliseconds:F0} ms)")]
    private partial void LogPollFailed(string partnerId, string outcome, string reason, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partner {PartnerId} moved permanently from {OldUrl} to {NewUrl}; stored URL updated")]
    private partial void LogMoved(string partnerId, string oldUrl, string newUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner {PartnerId} moved permanently to {NewUrl}, which is not a valid partner URL; stored URL kept: {Reason}")]
    private partial void LogMoveRefused(string partnerId, string newUrl, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partner {PartnerId} poll failed unexpectedly")]
    private partial void LogPollError(string partnerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partner {PartnerId} feed warning: {Warning}")]
    private partial void LogParseWarning(string partnerId, string warning);
}

/// <summary>Partner poll metrics on the "NewsFeed" meter.</summary>
public sealed class PartnerMetrics
{
    private readonly Counter<long> _polls;
    private readonly Histogram<double> _duration;

    public PartnerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(FeedMetrics.MeterName);
        _polls = meter.CreateCounter<long>("newsfeed.partner.polls", description: "Partner feed polls, by outcome.");
        _duration = meter.CreateHistogram<double>("newsfeed.partner.poll.duration", unit: "ms", description: "Time to fetch, parse and store one partner feed.");
    }

    public void Polled(string outcome, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _polls.Add(1, tag);
        _duration.Record(milliseconds, tag);
    }
}
