using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace NewsFeed.Benchmarks;

/// <summary>
/// A reader of one instance's <c>/feeds/latest.rss</c> that polls as a well-behaved feed reader does, with
/// <c>If-None-Match</c> (RFC 9110 §13.1.2): an unchanged feed costs a 304 from the instance's cache, and only
/// a changed one is downloaded and searched. Used to time how long a write to one instance takes to reach
/// another one's feed.
/// </summary>
internal sealed class FeedPoller(HttpClient client)
{
    private const string FeedPath = "feeds/latest.rss";
    private EntityTagHeaderValue? _etag;

    /// <summary>Reads the feed once, so the first wait starts from a known ETag.</summary>
    public async Task PrimeAsync() => await PollAsync(marker: null);

    /// <summary>
    /// Polls, starting at most every <paramref name="interval"/> (a poll answered faster waits out the rest,
    /// yielding the CPU to the servers on the same cores), until the feed contains <paramref name="marker"/>.
    /// Returns the polls it took (1: the first already showed it), or 0 when it still does not after
    /// <paramref name="giveUp"/>.
    /// </summary>
    public async Task<int> WaitForAsync(string marker, TimeSpan interval, TimeSpan giveUp)
    {
        var started = Stopwatch.GetTimestamp();
        for (var polls = 1; ; polls++)
        {
            var polled = Stopwatch.GetTimestamp();
            if (await PollAsync(marker)) return polls;
            if (Stopwatch.GetElapsedTime(started) > giveUp) return 0;
            var rest = interval - Stopwatch.GetElapsedTime(polled);
            if (rest > TimeSpan.Zero) await Task.Delay(rest);
        }
    }

    private async Task<bool> PollAsync(string? marker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, FeedPath);
        if (_etag is not null) request.Headers.IfNoneMatch.Add(_etag);
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotModified) return false;
        response.EnsureSuccessStatusCode();
        _etag = response.Headers.ETag;
        var feed = await response.Content.ReadAsStringAsync();
        return marker is not null && feed.Contains(marker, StringComparison.Ordinal);
    }
}
