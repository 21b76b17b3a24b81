using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace NewsFeed.Feeds;

/// <summary>
/// Lets a cold render start only when the process can afford it: at most <c>Feeds:MaxConcurrentRenders</c>
/// at once, up to <c>Feeds:RenderQueueLimit</c> more waiting at most <c>Feeds:RenderQueueTimeout</c>, and none
/// while memory is short (<see cref="MemoryLoad"/>, <c>Feeds:MaxMemoryLoadPercent</c>). Only renders ask:
/// <see cref="FeedCache"/> asks after its lookup missed, once per render that concurrent misses share, so a
/// cached feed never waits behind them. A refused render is answered <c>503</c>
/// (<see cref="RenderRefusedResult"/>) or from an older copy: a flood of distinct variants then costs a
/// bounded amount of CPU and memory, instead of renders piling up until the heap runs out and every request
/// in flight fails with an <see cref="OutOfMemoryException"/>.
/// </summary>
internal sealed class RenderAdmission : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly MemoryLoad _memory;
    private readonly TimeProvider _time;
    private readonly TimeSpan _queueTimeout;
    private readonly int _maxMemoryLoadPercent;

    public RenderAdmission(MemoryLoad memory, TimeProvider time, IOptions<FeedOptions> options)
    {
        var settings = options.Value;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrentRenders,
            QueueLimit = settings.RenderQueueLimit,
            // First come, first rendered; when the queue is full the newcomer is the one refused.
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _memory = memory;
        _time = time;
        _queueTimeout = settings.RenderQueueTimeout;
        _maxMemoryLoadPercent = settings.MaxMemoryLoadPercent;
    }

    /// <summary>Leave to render, to be disposed once the render is stored; or why there is none.</summary>
    public async ValueTask<RenderPermit> EnterAsync()
    {
        // Checked first so that, while memory is short, nothing even queues.
        if (IsMemoryShort())
        {
            return RenderPermit.Refused(RenderRefusal.MemoryShort);
        }
        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            if (await WaitForLeaseAsync() is not { } waited)
            {
                return RenderPermit.Refused(RenderRefusal.QueueTimeout);
            }
            lease = waited;
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                return RenderPermit.Refused(RenderRefusal.QueueFull);
            }
        }
        // Memory may have run short while this render waited its turn.
        if (IsMemoryShort())
        {
            lease.Dispose();
            return RenderPermit.Refused(RenderRefusal.MemoryShort);
        }
        return new RenderPermit(lease, null);
    }

    /// <summary>Renders running and waiting, as the limiter counts them (for tests).</summary>
    internal RateLimiterStatistics Statistics => _limiter.GetStatistics()!;

    public void Dispose() => _limiter.Dispose();

    /// <summary>A lease (not acquired when the queue is full), or null when none came within the queue timeout.</summary>
    private async ValueTask<RateLimitLease?> WaitForLeaseAsync()
    {
        // Only a render that must wait pays for a timer.
        using var timeout = new CancellationTokenSource(_queueTimeout, _time);
        try
        {
            return await _limiter.AcquireAsync(1, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return null;
        }
    }

    private bool IsMemoryShort()
    {
        if (_maxMemoryLoadPercent >= 100 || _memory.Percent() < _maxMemoryLoadPercent)
        {
            return false;
        }
        _memory.Refused();
        return true;
    }
}

/// <summary>Leave to render (<see cref="Lease"/>, released on dispose), or the <see cref="Refusal"/> that stopped it.</summary>
internal readonly record struct RenderPermit(RateLimitLease? Lease, RenderRefusal? Refusal) : IDisposable
{
    public static RenderPermit Refused(RenderRefusal refusal) => new(null, refusal);

    public void Dispose() => Lease?.Dispose();
}
