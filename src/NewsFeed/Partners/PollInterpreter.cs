using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Partners.Parsing;

namespace NewsFeed.Partners;

/// <summary>What one fetch means for a partner: the outcome, its new state and schedule, a URL move, and the items to store.</summary>
internal sealed record PollStep(PollOutcome Outcome, string? Error, PartnerState State, string? NewUrl, bool Gone, List<StoredPartnerItem>? Items);

/// <summary>
/// Reads what a fetch brought (the document, a 304, a 410, a failure) into a <see cref="PollStep"/>, and sets
/// the next poll: the partner's interval (or its Cache-Control max-age, within our bounds) after a success,
/// an exponential backoff after a failure, never sooner than a Retry-After, always with jitter.
/// </summary>
internal sealed partial class PollInterpreter(TimeProvider time, IOptions<PartnerOptions> options, ContentSanitizer html, ILogger<PollInterpreter> logger)
{
    /// <summary>A bot challenge waits at least this many of the partner's intervals (within MaxPollDelay).</summary>
    internal const int ChallengeBackoff = 4;

    public async Task<PollStep> InterpretAsync(Partner partner, PartnerState state, FetchResult fetch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A permanent move counts only once the new address answered (200 or 304) and passes the rules a URL
        // an operator gives must pass; a move to an error, a loop, a timeout or a refused address changes nothing.
        string? newUrl = null;
        if (fetch.Outcome is PollOutcome.Unchanged or PollOutcome.NotModified && fetch.PermanentUrl is { } moved)
        {
            if (PartnerRules.CheckUrl(moved.AbsoluteUri, options.Value) is { } refused) LogMoveRefused(partner.Id, moved.AbsoluteUri, refused);
            else newUrl = moved.AbsoluteUri;
        }
        switch (fetch.Outcome)
        {
            case PollOutcome.NotModified:
                return new(PollOutcome.NotModified, null, Succeeded(partner, state, fetch, now) with { ETag = fetch.ETag, LastModified = fetch.LastModified }, newUrl, false, null);

            case PollOutcome.Gone:
                return new(PollOutcome.Gone, fetch.Error, state with
                {
                    LastStatus = fetch.Status,
                    LastError = fetch.Error,
                    LastErrorKind = PollFailure.Http,
                    LastErrorAt = now,
                    DisabledReason = fetch.Error,
                    NextPoll = null,
                }, null, true, null);

            case PollOutcome.Failed:
                var kind = fetch.Challenge is not null ? PollFailure.Challenge : fetch.Status is not null ? PollFailure.Http : PollFailure.Transport;
                return Failure(partner, state, fetch.Error ?? "The fetch failed.", kind, fetch.Status, fetch.RetryAfter, now);
        }

        PartnerFeed feed;
        try
        {
            var limits = new PartnerParserLimits { MaxItems = Math.Min(partner.ItemCap ?? options.Value.DefaultItemCap, 1_000), Html = html };
            // The parser is CPU-bound over a capped body; off the request path, on the pool.
            feed = await Task.Run(() => PartnerFeedParser.Parse(fetch.Body, fetch.ContentType, fetch.FinalUrl!, limits, time), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // PartnerFeedException is the parser's word; anything else is a parser bug, and still only this partner's failure.
            var reason = exception is PartnerFeedException ? exception.Message : $"Parser error ({exception.GetType().Name}): {exception.Message}";
            return Failure(partner, state, reason, PollFailure.Document, fetch.Status, null, now);
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
        return new(PollOutcome.Unchanged, null, succeeded, newUrl, false, items);
    }

    /// <summary>A failure: recorded with its reason and kind, and the next poll pushed out (see the class summary).</summary>
    public PollStep Failure(Partner partner, PartnerState state, string reason, PollFailure kind, int? status, TimeSpan? retryAfter, DateTimeOffset now)
    {
        var settings = options.Value;
        var failures = state.ConsecutiveFailures + 1;
        // Exponential backoff on the partner's own interval (1x, 2x, 4x, ...) up to MaxPollDelay; a Retry-After
        // (429, 503) pushes it further, but never past MaxPollDelay, so transient errors never stop polling for good.
        // A bot challenge starts at ChallengeBackoff intervals: it will not pass by itself in one interval, and a
        // CDN that sees the same client come back soon only grows stricter.
        // In double seconds, clamped before it becomes a TimeSpan: a long interval times 2^n overflows one.
        var backoff = Interval(partner).TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 30));
        if (kind == PollFailure.Challenge) backoff = Math.Max(backoff, Interval(partner).TotalSeconds * ChallengeBackoff);
        var delay = backoff >= settings.MaxPollDelay.TotalSeconds ? settings.MaxPollDelay : TimeSpan.FromSeconds(backoff);
        if (retryAfter is { } after && after > delay) delay = after;
        return new(PollOutcome.Failed, reason, state with
        {
            LastStatus = status,
            LastError = reason,
            LastErrorKind = kind,
            LastErrorAt = now,
            ConsecutiveFailures = failures,
            NextPoll = now + Jittered(Clamp(delay)),
        }, null, false, null);
    }

    private PartnerState Succeeded(Partner partner, PartnerState state, FetchResult fetch, DateTimeOffset now)
    {
        var delay = Interval(partner);
        // A partner's Cache-Control max-age may push the next poll out (never in), within our bounds.
        if (fetch.MaxAge is { } maxAge && maxAge > delay) delay = maxAge;
        return state with
        {
            LastStatus = fetch.Status,
            LastSuccess = now,
            ConsecutiveFailures = 0,
            NextPoll = now + Jittered(Clamp(delay)),
        };
    }

    private TimeSpan Interval(Partner partner) => partner.PollInterval ?? options.Value.DefaultPollInterval;

    private TimeSpan Clamp(TimeSpan delay) =>
        delay < options.Value.MinPollInterval ? options.Value.MinPollInterval : delay > options.Value.MaxPollDelay ? options.Value.MaxPollDelay : delay;

    /// <summary>Adds up to Jitter × delay, never less: partners polled together drift apart, and a Retry-After is never undercut.</summary>
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
    private TimeSpan Jittered(TimeSpan delay) => delay + (delay * (options.Value.Jitter * Random.Shared.NextDouble()));
#pragma warning restore CA5394

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner {PartnerId} moved permanently to {NewUrl}, which is not a valid partner URL; stored URL kept: {Reason}")]
    private partial void LogMoveRefused(string partnerId, string newUrl, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partner {PartnerId} feed warning: {Warning}")]
    private partial void LogParseWarning(string partnerId, string warning);
}
