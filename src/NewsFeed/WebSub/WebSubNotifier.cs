using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;

namespace NewsFeed.WebSub;

/// <summary>
/// The WebSub publisher (W3C WebSub §7): after a write, every topic URL it changed (each feed, each
/// format) is pinged at every configured hub with <c>hub.mode=publish</c>. Each hub has its own bounded
/// queue and workers, so a hub that hangs delays only its own pings; pings are retried by the client's
/// resilience pipeline; a failure is logged and counted, and never reaches the publish call. A topic
/// already waiting for its hub is not queued twice, so a burst of corrections sends one ping.
/// </summary>
internal sealed partial class WebSubNotifier : BackgroundService
{
    private readonly Dictionary<string, Channel<Ping>> _queues;
    private readonly ConcurrentDictionary<Ping, byte> _waiting = new();
    private int _pending;
    private readonly WebSubClient _client;
    private readonly WebSubOptions _options;
    private readonly WebSubTopics _topics;
    private readonly WebSubMetrics _metrics;
    private readonly ILogger<WebSubNotifier> _logger;

    public WebSubNotifier(
        WebSubClient client,
        IOptions<WebSubOptions> options,
        WebSubTopics topics,
        WebSubMetrics metrics,
        ILogger<WebSubNotifier> logger)
    {
        _client = client;
        _options = options.Value;
        _topics = topics;
        _metrics = metrics;
        _logger = logger;
        _queues = _options.Hubs.Distinct(StringComparer.Ordinal).ToDictionary(hub => hub, _ =>
            Channel.CreateBounded<Ping>(new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait }), StringComparer.Ordinal);
    }

    /// <summary>Pings queued or being sent, at every hub: zero when every change so far has been told (or given up on).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Queues a ping for every topic of every changed feed at every hub. Never blocks.</summary>
    public void Enqueue(IEnumerable<TermRef?> changedFeeds) => EnqueueTopics(changedFeeds.SelectMany(_topics.Of));

    public void EnqueueTopics(IEnumerable<string> topics)
    {
        if (_queues.Count == 0) return;
        foreach (var topic in topics)
        {
            foreach (var (hub, queue) in _queues)
            {
                var ping = new Ping(hub, topic);
                if (!_waiting.TryAdd(ping, 0)) continue;
                Interlocked.Increment(ref _pending);
                if (!queue.Writer.TryWrite(ping))
                {
                    Interlocked.Decrement(ref _pending);
                    _waiting.TryRemove(ping, out _);
                    _metrics.Ping("dropped");
                    LogDropped(hub, topic);
                }
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.Values.SelectMany(queue => Enumerable.Range(0, _options.Concurrency)
            .Select(_ => Task.Run(() => WorkAsync(queue.Reader, stoppingToken), CancellationToken.None))));

    private async Task WorkAsync(ChannelReader<Ping> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var ping in queue.ReadAllAsync(stoppingToken))
            {
                // Leaves the waiting set before it is sent: a change during the send queues a fresh ping.
                _waiting.TryRemove(ping, out _);
                try
                {
                    await _client.PublishAsync(ping.Hub, ping.Topic, stoppingToken);
                    _metrics.Ping("delivered");
                    LogDelivered(ping.Hub, ping.Topic);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever went wrong with one ping (network, timeout, open circuit, a bad hub URL),
                    // the worker lives on for the next.
                    _metrics.Ping("failed");
                    LogFailed(ping.Hub, ping.Topic, exception.Message);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: pings still queued are given up; subscribers' next poll sees the change.
        }
    }

    private readonly record struct Ping(string Hub, string Topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSub hub {Hub} notified of {Topic}")]
    private partial void LogDelivered(string hub, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSub hub {Hub} was not notified of {Topic}: {Reason}")]
    private partial void LogFailed(string hub, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSub queue full; ping for {Topic} at {Hub} dropped")]
    private partial void LogDropped(string hub, string topic);
}
