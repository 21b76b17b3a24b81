using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace NewsFeed.Reliability;

/// <summary>
/// How long after its acknowledgement one write showed on one instance (null: not within the probe's patience), and
/// when the request that showed it was sent (the rest is that request's own time: a render, a busy machine).
/// </summary>
internal sealed record Visibility(AcknowledgedWrite Write, string Instance, DateTimeOffset? VisibleAt, DateTimeOffset GaveUpOrSawAt, DateTimeOffset? AskedAt = null)
{
    public double? Milliseconds => VisibleAt is { } at ? Math.Max(0, (at - Write.Acked).TotalMilliseconds) : null;

    public double? AskedMilliseconds => AskedAt is { } at ? Math.Max(0, (at - Write.Acked).TotalMilliseconds) : null;
}

/// <summary>
/// Publish → visible across the cluster: after each acknowledged publish, correction or retraction, the latest feed
/// (JSON, page one as subscribers poll it, conditional on the last ETag) of every instance other than the one that
/// took the write is fetched directly every 5 ms until it shows the write (the newsroom corrects and retracts only
/// its newest stories, which are on page one) (the story with its new title, or no longer listed).
/// The time is from the acknowledgement to the answer that showed it. At most 8 probes run at once; one that finds
/// every slot taken waits for one, and is probed late, which only makes its figure worse. An instance that is down
/// (killed, not yet restarted) is not probed.
/// </summary>
internal sealed class VisibilityProbe(ClusterInstances instances) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _slots = new(8);
    private readonly ConcurrentBag<Task> _probes = [];
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromSeconds(2) };

    public ConcurrentQueue<Visibility> Results { get; } = new();

    /// <summary>How long each probe request took to answer, in ms: the floor under any visibility figure on this machine.</summary>
    public ConcurrentQueue<double> RequestMilliseconds { get; } = new();

    /// <summary>Starts probing the instances that did not take this write (all of them when it is not known which did).</summary>
    public void Track(AcknowledgedWrite write)
    {
        if (write.Kind is not (WriteKind.Publish or WriteKind.Correct or WriteKind.Retract)) return;
        foreach (var name in ClusterInstances.Names.Where(n => n != write.ServedBy))
        {
            // A killed instance cannot show anything until it is back, inside its fault window, where nothing is
            // counted; probing it would only hold a slot for the whole patience.
            if (instances.IsRunning(name)) _probes.Add(ProbeAsync(write, name));
        }
    }

    /// <summary>Waits for the probes still running.</summary>
    public Task DrainAsync() => Task.WhenAll(_probes);

    public void Dispose()
    {
        _client.Dispose();
        _slots.Dispose();
    }

    private async Task ProbeAsync(AcknowledgedWrite write, string instance)
    {
        await _slots.WaitAsync();
        try
        {
            var feed = new Uri(instances.Address(instance), "feeds/latest.json");
            EntityTagHeaderValue? etag = null;
            var deadline = write.Acked + Patience;
            while (DateTimeOffset.UtcNow < deadline)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, feed);
                if (etag is not null) request.Headers.IfNoneMatch.Add(etag);
                var asked = DateTimeOffset.UtcNow;
                try
                {
                    using var response = await _client.SendAsync(request);
                    var at = DateTimeOffset.UtcNow;
                    RequestMilliseconds.Enqueue((at - asked).TotalMilliseconds);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        etag = response.Headers.ETag;
                        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
                        if (Shows(body, write))
                        {
                            Results.Enqueue(new Visibility(write, instance, at, at, asked));
                            return;
                        }
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException or JsonException)
                {
                    // The instance is down or restarting: the write falls in a fault window and is not counted.
                }
                await Task.Delay(Interval);
            }
            Results.Enqueue(new Visibility(write, instance, null, DateTimeOffset.UtcNow));
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Whether the feed shows the write: the story listed with the written title, or (a retraction) not listed.</summary>
    internal static bool Shows(JsonDocument feed, AcknowledgedWrite write)
    {
        var id = "urn:uuid:" + write.Id;
        foreach (var item in feed.RootElement.GetProperty("items").EnumerateArray())
        {
            if (item.GetProperty("id").GetString() != id) continue;
            return write.Kind != WriteKind.Retract && item.GetProperty("title").GetString() == write.Title;
        }
        return write.Kind == WriteKind.Retract;
    }
}
