using Microsoft.Extensions.Internal;

namespace NewsFeed;

/// <summary>
/// The time for bookkeeping on every request that needs it to a few milliseconds, not to the tick: the reader
/// counter's day and report times, the feed cache's last-access order. The system clock is read at most once a
/// second; between reads the kernel's coarse monotonic tick (<see cref="Environment.TickCount64"/>, about 7 ns here
/// against 30-35 for <see cref="DateTime.UtcNow"/> or <see cref="TimeProvider.GetUtcNow"/>) is added to the last
/// read. Those two reads were about 0.6% of the CPU of a cached 304 (docs/benchmarks.md). A provider other than
/// the system's (a test's fake clock) is asked on every call, so tests see its time exactly. Hand-written: the
/// BCL's coarse clock is monotonic only, and <see cref="TimeProvider"/> has no coarse reading.
/// </summary>
internal sealed class CoarseClock(TimeProvider time) : ISystemClock
{
    /// <summary>How long the tick alone carries the time before the clock is read again.</summary>
    private const long ReadEveryMilliseconds = 1000;

    /// <summary>
    /// The system's, for the size-limited caches whose <c>MemoryCacheOptions.Clock</c> only orders entries by last
    /// access (none of their entries expires by time): the feed cache and the embed's headline cache.
    /// </summary>
    public static CoarseClock System { get; } = new(TimeProvider.System);

    private readonly bool _isSystem = ReferenceEquals(time, TimeProvider.System);
    /// <summary>Swapped whole, so a reader never pairs one read's tick with another's time.</summary>
    private volatile Reading _last = new(long.MinValue / 2, 0);

    /// <summary>Milliseconds since 1970-01-01 UTC.</summary>
    public long UnixMilliseconds()
    {
        if (!_isSystem)
        {
            return time.GetUtcNow().ToUnixTimeMilliseconds();
        }
        var tick = Environment.TickCount64;
        var last = _last;
        var elapsed = tick - last.Tick;
        if (elapsed is < 0 or >= ReadEveryMilliseconds)
        {
            last = _last = new Reading(tick, time.GetUtcNow().ToUnixTimeMilliseconds());
            elapsed = 0;
        }
        return last.UnixMilliseconds + elapsed;
    }

    public DateTimeOffset UtcNow => DateTimeOffset.FromUnixTimeMilliseconds(UnixMilliseconds());

    private sealed record Reading(long Tick, long UnixMilliseconds);
}
