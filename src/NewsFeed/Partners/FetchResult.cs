namespace NewsFeed.Partners;

/// <summary>What one fetch of a partner's feed came to.</summary>
/// <param name="Outcome">
/// <see cref="PollOutcome.Unchanged"/>: 2xx with a body within the cap, to be read;
/// <see cref="PollOutcome.NotModified"/>: 304, the feed has not changed since our validators;
/// <see cref="PollOutcome.Gone"/>: 410, the feed is gone for good;
/// <see cref="PollOutcome.Failed"/>: an error status, a network error, a timeout, a cap exceeded, a refused address.
/// </param>
/// <param name="PermanentUrl">Where the feed moved when every hop from the start to the final URL was a 301/308; null after any temporary hop.</param>
/// <param name="MaxAge">The response's Cache-Control max-age.</param>
/// <param name="RetryAfter">The response's Retry-After, as a delay.</param>
/// <param name="Challenge">The CDN whose bot challenge answered instead of the feed (<see cref="BotChallenge"/>), if one did.</param>
internal sealed record FetchResult(
    PollOutcome Outcome,
    int? Status,
    string? Error = null,
    byte[]? Body = null,
    string? ContentType = null,
    Uri? FinalUrl = null,
    string? ETag = null,
    string? LastModified = null,
    Uri? PermanentUrl = null,
    TimeSpan? MaxAge = null,
    TimeSpan? RetryAfter = null,
    string? Challenge = null);
