using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace NewsFeed.Reliability;

/// <summary>One poll through the edge: which URL, when it was sent and answered (UTC ticks), its status and cache verdict, and the body it saw.</summary>
internal readonly record struct EdgePoll(int Url, long Sent, long Answered, int Status, bool Hit, int Body);

/// <summary>
/// Readers polling every URL through Varnish, round after round, as fast as a few connections go. Each distinct
/// body (per URL, by ETag) is read once for the newsroom's stories in it: story serial → revision. The polls are
/// kept, so a write can be checked against the first poll sent after its purge.
/// </summary>
internal sealed partial class EdgePoller(Uri edge, IReadOnlyList<string> urls) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.GZip,
        MaxConnectionsPerServer = 16,
    })
    { BaseAddress = edge, Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<(int Url, string ETag), int> _bodyIds = new();
    private readonly ConcurrentQueue<EdgePoll> _polls = new();
    private long _next;
    private int _bodyCount;

    /// <summary>The stories each body listed: serial → revision (index: <see cref="EdgePoll.Body"/>).</summary>
    public ConcurrentDictionary<int, IReadOnlyDictionary<int, int>> Bodies { get; } = new();

    public IReadOnlyList<string> Urls => urls;

    public IEnumerable<EdgePoll> Polls => _polls;

    public int Errors { get; private set; }

    /// <summary>Polls until cancelled, with <paramref name="readers"/> readers at once.</summary>
    public Task RunAsync(int readers, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, readers).Select(_ => Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var url = (int)(Interlocked.Increment(ref _next) % urls.Count);
                try
                {
                    await PollAsync(url, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }, CancellationToken.None)));

    /// <summary>One poll of every URL, one after another.</summary>
    public async Task<List<EdgePoll>> RoundAsync(CancellationToken cancellationToken)
    {
        var round = new List<EdgePoll>();
        for (var url = 0; url < urls.Count; url++) round.Add(await PollAsync(url, cancellationToken));
        return round;
    }

    private async Task<EdgePoll> PollAsync(int url, CancellationToken cancellationToken)
    {
        var sent = DateTimeOffset.UtcNow.UtcTicks;
        try
        {
            using var response = await _client.GetAsync(urls[url], cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var hit = response.Headers.TryGetValues("X-Cache", out var verdict) && verdict.First() == "HIT";
            var etag = response.Headers.ETag?.Tag ?? Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(body));
            var id = _bodyIds.GetOrAdd((url, etag), _ => Interlocked.Increment(ref _bodyCount));
            if (!Bodies.ContainsKey(id)) Bodies[id] = Stories(body);
            var poll = new EdgePoll(url, sent, DateTimeOffset.UtcNow.UtcTicks, (int)response.StatusCode, hit, id);
            if (response.StatusCode != HttpStatusCode.OK) Errors++;
            _polls.Enqueue(poll);
            return poll;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Errors++;
            var failed = new EdgePoll(url, sent, DateTimeOffset.UtcNow.UtcTicks, 0, false, -1);
            _polls.Enqueue(failed);
            return failed;
        }
    }

    private static Dictionary<int, int> Stories(byte[] body)
    {
        var stories = new Dictionary<int, int>();
        foreach (Match match in StoryTitle().Matches(Encoding.UTF8.GetString(body)))
        {
            var serial = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var revision = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            stories[serial] = Math.Max(revision, stories.GetValueOrDefault(serial));
        }
        return stories;
    }

    [GeneratedRegex(@"Reliability story edge-(\d+): harbour lights \(revision (\d+)\)")]
    private static partial Regex StoryTitle();

    public void Dispose() => _client.Dispose();
}
