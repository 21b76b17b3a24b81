using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace NewsFeed.Reliability;

/// <summary>
/// A feed reader polling one small, cached feed at a steady pace while a phase loads the server: how long each
/// answer took (connection kept alive, body read to its end), and any answer that was not a 200 or never came.
/// A probe runs to its end even when told to stop, so the last one is measured too.
/// </summary>
internal sealed class FeedProbe(Uri server, string path, string? coding = "gzip")
{
    /// <summary>An answer not complete by then counts as none.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    private readonly List<double> _milliseconds = [];

    public List<string> Problems { get; } = [];

    public int Count => _milliseconds.Count;

    public double MaxMs => _milliseconds.Count == 0 ? 0 : _milliseconds.Max();

    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = server,
            Timeout = AnswerTimeout,
        };
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (coding is not null) request.Headers.AcceptEncoding.ParseAdd(coding);
            var clock = Stopwatch.StartNew();
            try
            {
                // SendAsync reads the whole body within the timeout.
                using var response = await client.SendAsync(request, CancellationToken.None);
                _milliseconds.Add(clock.Elapsed.TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK) Problems.Add($"{(int)response.StatusCode} after {clock.Elapsed.TotalMilliseconds:F0} ms");
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
            {
                _milliseconds.Add(clock.Elapsed.TotalMilliseconds);
                Problems.Add($"no answer after {clock.Elapsed.TotalMilliseconds:F0} ms ({error.GetType().Name})");
            }
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The nearest-rank percentile of the answer times, in milliseconds.</summary>
    public double Percentile(double p)
    {
        if (_milliseconds.Count == 0) return 0;
        var sorted = _milliseconds.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Count:N0} requests, p50 {Percentile(50):F1} ms, p99 {Percentile(99):F1} ms, max {MaxMs:F0} ms");
}
