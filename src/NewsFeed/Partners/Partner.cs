using System.Text.Json.Serialization;

namespace NewsFeed.Partners;

/// <summary>
/// A partner as the registry and the admin API describe it (camelCase JSON). Nothing is "required" for the
/// JSON reader: a missing field is reported by <see cref="PartnerRules.Validate"/>, by name, as a 400.
/// </summary>
internal sealed record Partner
{
    /// <summary>Slug: names the partner's feed (<c>/feeds/partners/{id}.rss</c>) and every log line about it.</summary>
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>The partner's feed URL (http or https). A 301/308 replaces it once the new URL answered a poll and passes <see cref="PartnerRules.CheckUrl"/>.</summary>
    public string Url { get; init; } = "";
    /// <summary>Our section the partner's items belong to (slug), if any.</summary>
    public string? Section { get; init; }
    /// <summary>How often to poll; null: <see cref="PartnerOptions.DefaultPollInterval"/>.</summary>
    public TimeSpan? PollInterval { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>Items kept for this partner, newest first; null: <see cref="PartnerOptions.DefaultItemCap"/>.</summary>
    public int? ItemCap { get; init; }
    /// <summary>Credit line shown with the partner's items, e.g. "Courtesy of The Harbor Gazette".</summary>
    public string? Attribution { get; init; }
}

/// <summary>What the poller learned about a partner: validators for conditional GET, and its health.</summary>
internal sealed record PartnerState
{
    [JsonPropertyName("etag")]
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public DateTimeOffset? NextPoll { get; init; }
    public DateTimeOffset? LastPoll { get; init; }
    public DateTimeOffset? LastSuccess { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public string? LastError { get; init; }
    /// <summary>What kind of failure <see cref="LastError"/> was.</summary>
    public PollFailure? LastErrorKind { get; init; }
    public int ConsecutiveFailures { get; init; }
    public int? LastStatus { get; init; }
    /// <summary>What the parser repaired or dropped in the last document read (the first few), for the operator.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
    /// <summary>The partner's own site (the feed's link), for attribution.</summary>
    public string? SiteUrl { get; init; }
    /// <summary>Why the poller turned the partner off (410 Gone); operators re-enable through the admin API.</summary>
    public string? DisabledReason { get; init; }

    /// <summary>
    /// This state once an operator replaced <paramref name="before"/> by <paramref name="after"/> (the admin API's
    /// PUT): a new URL forgets the old one's validators and is due at once; enabling a partner clears why it was
    /// disabled and makes it due at once; a disabled partner has no next poll.
    /// </summary>
    public PartnerState AfterOperatorChange(Partner before, Partner after, DateTimeOffset now)
    {
        var state = this;
        if (!string.Equals(before.Url, after.Url, StringComparison.Ordinal))
        {
            state = state with { ETag = null, LastModified = null, NextPoll = now };
        }
        if (after.Enabled && (!before.Enabled || state.DisabledReason is not null))
        {
            state = state with { DisabledReason = null, ConsecutiveFailures = 0, NextPoll = now };
        }
        return after.Enabled ? state : state with { NextPoll = null };
    }

    /// <summary>
    /// This state with the health fields of <paramref name="polled"/> (how the last poll went), and everything
    /// else (validators, schedule, why it was disabled) kept: what a poll answered for a configuration an
    /// operator has since changed may still tell, but must not steer, the new one.
    /// </summary>
    public PartnerState WithHealthOf(PartnerState polled) => this with
    {
        LastPoll = polled.LastPoll,
        LastSuccess = polled.LastSuccess,
        LastErrorAt = polled.LastErrorAt,
        LastError = polled.LastError,
        LastErrorKind = polled.LastErrorKind,
        LastStatus = polled.LastStatus,
        ConsecutiveFailures = polled.ConsecutiveFailures,
        Warnings = polled.Warnings,
    };
}

/// <summary>The admin view of one partner: its configuration and its health.</summary>
internal sealed record PartnerStatus(Partner Partner, PartnerState State, int ItemCount);
