using System.Text.Json.Serialization;

namespace NewsFeed.Partners;

/// <summary>
/// How a poll of a partner ended: the one vocabulary of the fetcher, the store, the admin API (JSON) and the
/// partner poll metric's "outcome" tag (<see cref="PollOutcomes.Tag"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PollOutcome>))]
internal enum PollOutcome
{
    /// <summary>Fetched and read; stored items changed.</summary>
    [JsonStringEnumMemberName("updated")] Updated,
    /// <summary>
    /// Fetched and read; nothing stored changed. (The fetcher reports a body it got as Unchanged: whether it
    /// changes anything is known once it has been read and saved.)
    /// </summary>
    [JsonStringEnumMemberName("unchanged")] Unchanged,
    /// <summary>304 Not Modified: nothing re-read.</summary>
    [JsonStringEnumMemberName("not_modified")] NotModified,
    /// <summary>410 Gone: the partner is turned off.</summary>
    [JsonStringEnumMemberName("gone")] Gone,
    /// <summary>An error status, a network error, a timeout, a cap exceeded, a refused address, an unreadable document.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>The poll was stopped by shutdown; nothing recorded.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>No such partner (or it was removed during the poll).</summary>
    [JsonStringEnumMemberName("unknown")] Unknown,
    /// <summary>Another instance sharing the store holds the partner's poll lease: it is being polled there.</summary>
    [JsonStringEnumMemberName("busy")] Busy,
}

/// <summary>What kind of failure a partner's last error was (<see cref="PartnerState.LastErrorKind"/>), so health tells them apart.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PollFailure>))]
internal enum PollFailure
{
    /// <summary>The partner answered with an error status, or a redirect that is not followed.</summary>
    [JsonStringEnumMemberName("http")] Http,
    /// <summary>No complete answer: DNS, connection, timeout, refused address, open circuit, size cap, a body cut off.</summary>
    [JsonStringEnumMemberName("transport")] Transport,
    /// <summary>A CDN's bot challenge or block page instead of the feed (<see cref="BotChallenge"/>); backs off longer.</summary>
    [JsonStringEnumMemberName("challenge")] Challenge,
    /// <summary>The answer came but is not a feed we can read.</summary>
    [JsonStringEnumMemberName("document")] Document,
    /// <summary>Our own fault (a bug, a storage error) while handling the poll.</summary>
    [JsonStringEnumMemberName("internal")] Internal,
}

internal static class PollOutcomes
{
    /// <summary>The outcome as JSON and the metric's tag write it ("not_modified").</summary>
    public static string Tag(this PollOutcome outcome) => outcome switch
    {
        PollOutcome.Updated => "updated",
        PollOutcome.Unchanged => "unchanged",
        PollOutcome.NotModified => "not_modified",
        PollOutcome.Gone => "gone",
        PollOutcome.Failed => "failed",
        PollOutcome.Cancelled => "cancelled",
        PollOutcome.Busy => "busy",
        _ => "unknown",
    };
}

/// <summary>What the admin API's "poll now" answers: the outcome, the reason of a failure, and the partner's health after it.</summary>
internal sealed record PollResult(string PartnerId, PollOutcome Outcome, string? Error, PartnerStatus? Status);
