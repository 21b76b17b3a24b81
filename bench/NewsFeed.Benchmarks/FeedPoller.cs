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

    /// <summary>Polls made while waiting, for the mean interval the report states as the measure's resolution.</summary>
    public long Polls { get; private set; }

    /// <summary>Time spent polling, over all waits.</summary>
    public TimeSpan Polling { get; private set; }

    /// <summary>Reads the feed once, so the first wait starts from a known ETag.</summary>
    public async Task PrimeAsync() => await PollAsync(marker: null);

    /// <summary>
    /// Polls, starting at most every <paramref name="interval"/> (a poll answered faster waits out the rest,
    /// yielding the CPU to the servers on the same cores), until the feed contains <paramref name="marker"/>.
    /// False when it still does not after <paramref name="giveUp"/>.
    /// </summary>
    public async Task<bool> WaitForAsync(string marker, TimeSpan interval, TimeSpan giveUp)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                var polled = Stopwatch.GetTimestamp();
                Polls++;
                if (await PollAsync(marker)) return true;
                if (Stopwatch.GetElapsedTime(started) > giveUp) return false;
                var rest = interval - Stopwatch.GetElapsedTime(polled);
                if (rest > TimeSpan.Zero) await Task.Delay(rest);
            }
        }
        finally
        {
            Polling += Stopwatch.GetElapsedTime(started);
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
