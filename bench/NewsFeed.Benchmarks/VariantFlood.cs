using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace NewsFeed.Benchmarks;

/// <summary>
/// Issue 17's variant flood: clients that each ask a different variant of long-article feeds (a limit of 40 to
/// 100, RSS, Atom or JSON Feed, identity, gzip or Brotli, some as a browser navigation, some a later page
/// reached through a <c>next</c> link), while a probe asks one small cached feed every 100 ms. Writes its
/// figures as <c>name value</c> lines for bench/run.
/// </summary>
internal static class VariantFlood
{
    private static readonly string[] Formats = ["rss", "atom", "json"];
    private static readonly string[] Codings = ["identity", "gzip", "br"];

    public static async Task<int> RunAsync(Uri server, string[] feeds, string probePath, int clients, TimeSpan duration, string output)
    {
        using var flood = Client(clients);
        using var probeClient = Client(1);
        using var probeFirst = await probeClient.GetAsync(new Uri(server, probePath));
        if (probeFirst.StatusCode != HttpStatusCode.OK)
        {
            Console.Error.WriteLine($"The probe {probePath} answered {(int)probeFirst.StatusCode}.");
            return 1;
        }

        var tally = new Tally();
        var nextLinks = new ConcurrentQueue<Uri>();
        // No request starts after the duration; those under way then are waited for (up to the 60 s timeout) and
        // counted, so a server too slow to answer within the flood cannot look clean. The probe runs until the last.
        using var stop = new CancellationTokenSource(duration);
        using var workersDone = new CancellationTokenSource();
        var probe = ProbeAsync(probeClient, new Uri(server, probePath), workersDone.Token);
        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(() => ClientAsync(flood, server, feeds, i, nextLinks, tally, stop.Token))).ToArray();
        await Task.WhenAll(workers);
        await workersDone.CancelAsync();
        var (latencies, probeFailures) = await probe;

        latencies.Sort();
        using var writer = new StreamWriter(output);
        foreach (var (name, value) in tally.Figures())
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value}"));
        }
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probe_requests {latencies.Count}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probe_failures {probeFailures}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probe_p50_ms {Percentile(latencies, 0.50):F1}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probe_p99_ms {Percentile(latencies, 0.99):F1}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probe_max_ms {(latencies.Count > 0 ? latencies[^1] : 0):F1}"));
        Console.WriteLine($"variant flood: {tally.Requests} requests, probe p99 {Percentile(latencies, 0.99):F1} ms");
        return 0;
    }

    /// <summary>Bytes as sent (automatic decompression off), redirects followed, one connection per client.</summary>
    private static HttpClient Client(int connections) => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = true,
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static async Task ClientAsync(HttpClient http, Uri server, string[] feeds, int client, ConcurrentQueue<Uri> nextLinks, Tally tally, CancellationToken stop)
    {
        var random = new Random(client * 7_919 + 1);
        while (!stop.IsCancellationRequested)
        {
            // A third of the requests go on to a later page: a next link another request found.
            var url = random.Next(3) == 0 && nextLinks.TryDequeue(out var next)
                ? next
                : new Uri(server, string.Create(CultureInfo.InvariantCulture,
                    $"{feeds[random.Next(feeds.Length)]}.{Formats[random.Next(Formats.Length)]}?limit={random.Next(40, 101)}"));
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            var coding = Codings[random.Next(Codings.Length)];
            if (coding != "identity") request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
            var browser = random.Next(5) == 0;
            if (browser) request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "document");
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                var body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                tally.Count(response, body.Length);
                if (response.StatusCode == HttpStatusCode.OK && coding == "identity" && !browser && nextLinks.Count < 10_000
                    && FeedLinks.NextOf(body, response.Content.Headers.ContentType?.MediaType ?? "", server) is { } found)
                {
                    nextLinks.Enqueue(found);
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
            {
                tally.Failed();
            }
        }
    }

    private static async Task<(List<double> Latencies, int Failures)> ProbeAsync(HttpClient http, Uri probe, CancellationToken stop)
    {
        var latencies = new List<double>();
        var failures = 0;
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await ticks.WaitForNextTickAsync(stop))
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(probe, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    if (response.StatusCode != HttpStatusCode.OK) failures++;
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
                {
                    failures++;
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return (latencies, failures);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private sealed class Tally
    {
        private static readonly string[] Names =
        [
            "status_2xx", "status_304", "status_3xx", "status_4xx", "status_503_retry_after", "status_503_other", "status_5xx_other", "transport_errors",
        ];

        private readonly long[] _counts = new long[Names.Length];
        private long _requests, _bytes;

        public long Requests => Interlocked.Read(ref _requests);

        public void Count(HttpResponseMessage response, long bytes)
        {
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _bytes, bytes);
            var status = (int)response.StatusCode;
            Interlocked.Increment(ref _counts[status switch
            {
                304 => 1,
                >= 200 and < 300 => 0,
                >= 300 and < 400 => 2,
                >= 400 and < 500 => 3,
                // Deliberate: the server refusing a render it has no room for, and saying when to come back.
                503 when response.Headers.RetryAfter is not null => 4,
                503 => 5,
                _ => 6,
            }]);
        }

        public void Failed() => Interlocked.Increment(ref _counts[^1]);

        public IEnumerable<(string, long)> Figures() =>
            [("requests", _requests), ("bytes", _bytes), .. Names.Select((name, i) => (name, _counts[i]))];
    }
}
