using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using NewsFeed.Articles;

namespace NewsFeed.Benchmarks;

/// <summary>
/// Publish-to-visible latency against running servers: each round PUTs a new article through the
/// publishing API of one instance (the writer), and as soon as the write returns reads the latest feed.
/// Alone, the writer's own feed is read once and must already hold the article (the cache is invalidated by
/// the write, not by an expiry); the run fails if a GET misses. With a reader (another instance on the same
/// store), the reader's feed is polled (<see cref="FeedPoller"/>) until it holds the article: what the
/// cluster's change notifications deliver. Reports the PUT, write returns to visible, and the round trip.
/// </summary>
internal static class PublishToVisible
{
    private const int WarmUp = 3;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(Uri server, Uri? reader, string apiKey, int rounds, string output)
    {
        using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        using var readerClient = new HttpClient { BaseAddress = reader ?? server, Timeout = TimeSpan.FromSeconds(30) };
        var poller = new FeedPoller(readerClient);
        if (reader is not null) await poller.PrimeAsync();
        var put = new List<double>();
        var visible = new List<double>();
        var roundTrip = new List<double>();
        var polls = new List<double>();
        // Numbers no stored or earlier article uses (the store files hold 0..N-1).
        var first = 1_000_000_000L + DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 1_000_000 * 1_000;
        for (var round = 0; round < WarmUp + rounds; round++)
        {
            var article = SyntheticArticles.Make(first + round);
            var json = JsonSerializer.SerializeToNode(article, ArticleJson.Default.Article)!.AsObject();
            // The server stamps both at the time of the write, so the article is the newest in the feed.
            json.Remove("published");
            json.Remove("updated");
            using var content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");

            var started = Stopwatch.GetTimestamp();
            using (var response = await client.PutAsync($"api/articles/{article.Id}", content))
            {
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Console.Error.WriteLine($"PUT {article.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    return 1;
                }
            }
            var written = Stopwatch.GetTimestamp();
            var marker = $"urn:uuid:{article.Id}";
            if (reader is null)
            {
                var feed = await client.GetStringAsync("feeds/latest.rss");
                if (!feed.Contains(marker, StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"The GET right after the PUT of {article.Id} returned did not show it.");
                    return 1;
                }
            }
            else if (await poller.WaitForAsync(marker, PollInterval, GiveUp) is var taken and > 0)
            {
                if (round >= WarmUp) polls.Add(taken);
            }
            else
            {
                Console.Error.WriteLine($"{reader} did not show {article.Id} within {GiveUp.TotalSeconds} s of the write to {server}.");
                return 1;
            }
            var read = Stopwatch.GetTimestamp();
            if (round < WarmUp) continue;
            put.Add(Stopwatch.GetElapsedTime(started, written).TotalMilliseconds);
            visible.Add(Stopwatch.GetElapsedTime(written, read).TotalMilliseconds);
            roundTrip.Add(Stopwatch.GetElapsedTime(started, read).TotalMilliseconds);
        }

        var lines = new[]
        {
            "| Step | median | p95 | p99 | max |",
            "| --- | ---: | ---: | ---: | ---: |",
            Row("PUT (write returns)", put),
            Row(reader is null ? "write returns to visible (the next GET, a re-render)" : "write returns to visible on the other instance", visible),
            Row("whole round trip (PUT sent to feed read)", roundTrip),
            "",
            reader is null
                ? $"{rounds} publishes (after {WarmUp} not counted), each followed by one GET of `/feeds/latest.rss`; every GET showed its article."
                : FormattableString.Invariant($"{rounds} publishes (after {WarmUp} not counted) to {server}, each followed by conditional GETs of `/feeds/latest.rss` on {reader}, one at most every {PollInterval.TotalMilliseconds:F0} ms, until it showed the article; every article showed. ")
                  + FormattableString.Invariant($"The first poll already showed it in {polls.Count(p => p == 1)} of {rounds} rounds (polls per round: median {Statistics.Percentile(polls, 0.5):F0}, max {polls.Max():F0}); the poll that shows it is a full GET of the feed, which that instance renders anew, and its time is in the figure."),
        };
        await File.WriteAllLinesAsync(output, lines);
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        return 0;
    }

    private static string Row(string name, List<double> values) =>
        FormattableString.Invariant($"| {name} | {Statistics.Percentile(values, 0.5):F2} ms | {Statistics.Percentile(values, 0.95):F2} ms | {Statistics.Percentile(values, 0.99):F2} ms | {values.Max():F2} ms |");
}

internal static class Statistics
{
    /// <summary>Linear interpolation between closest ranks (as numpy's default).</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }
}
