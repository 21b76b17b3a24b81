using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using NewsFeed.Articles;

namespace NewsFeed.Benchmarks;

/// <summary>
/// Publish-to-visible latency against a running server: each round PUTs a new article through the
/// publishing API, and as soon as the write returns GETs the latest feed, which must already hold it
/// (the cache is invalidated by the write, not by an expiry). Reports the GET after the write (write
/// returns to visible) and the whole round trip (PUT sent to feed read), and fails if a GET misses.
/// </summary>
internal static class PublishToVisible
{
    private const int WarmUp = 3;

    public static async Task<int> RunAsync(Uri server, string apiKey, int rounds, string output)
    {
        using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        var put = new List<double>();
        var visible = new List<double>();
        var roundTrip = new List<double>();
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
            var feed = await client.GetStringAsync("feeds/latest.rss");
            var read = Stopwatch.GetTimestamp();
            if (!feed.Contains($"urn:uuid:{article.Id}", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"The GET right after the PUT of {article.Id} returned did not show it.");
                return 1;
            }
            if (round < WarmUp) continue;
            put.Add(Stopwatch.GetElapsedTime(started, written).TotalMilliseconds);
            visible.Add(Stopwatch.GetElapsedTime(written, read).TotalMilliseconds);
            roundTrip.Add(Stopwatch.GetElapsedTime(started, read).TotalMilliseconds);
        }

        var lines = new[]
        {
            "| Step | median | p99 | max |",
            "| --- | ---: | ---: | ---: |",
            Row("PUT (write returns)", put),
            Row("write returns to visible (the next GET, a re-render)", visible),
            Row("whole round trip (PUT sent to feed read)", roundTrip),
            "",
            $"{rounds} publishes (after {WarmUp} not counted), each followed by one GET of `/feeds/latest.rss`; every GET showed its article.",
        };
        await File.WriteAllLinesAsync(output, lines);
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        return 0;
    }

    private static string Row(string name, List<double> values) =>
        FormattableString.Invariant($"| {name} | {Statistics.Percentile(values, 0.5):F2} ms | {Statistics.Percentile(values, 0.99):F2} ms | {values.Max():F2} ms |");
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
