using Microsoft.Extensions.Time.Testing;

namespace NewsFeed.Tests;

/// <summary>The clock of per-request bookkeeping (<see cref="CoarseClock"/>): the system's time to a few milliseconds, a test clock's exactly.</summary>
public sealed class CoarseClockTests
{
    [Fact]
    public void AnotherProvider_IsAskedOnEveryCall()
    {
        var time = new FakeTimeProvider(NewsFeedApp.Now);
        var clock = new CoarseClock(time);
        Assert.Equal(NewsFeedApp.Now.ToUnixTimeMilliseconds(), clock.UnixMilliseconds());

        // Not carried by the tick: a fake clock moved by a day is seen at once.
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(3));
        Assert.Equal(NewsFeedApp.Now.AddDays(1).AddMilliseconds(3).ToUnixTimeMilliseconds(), clock.UnixMilliseconds());
        Assert.Equal(NewsFeedApp.Now.AddDays(1).AddMilliseconds(3), clock.UtcNow);
    }

    [Fact]
    public void TheSystemClock_IsFollowedToAFewMilliseconds_AcrossItsRereads()
    {
        var clock = new CoarseClock(TimeProvider.System);
        var until = Environment.TickCount64 + 2500;
        var worst = 0L;
        // Long enough for two re-reads of the system clock, with the tick carrying the time between them.
        while (Environment.TickCount64 < until)
        {
            var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var coarse = clock.UnixMilliseconds();
            var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // The coarse tick advances in steps of a few ms (the kernel's jiffy): that much either side.
            var error = coarse < before ? before - coarse : coarse > after ? coarse - after : 0;
            worst = Math.Max(worst, error);
            Thread.Sleep(7);
        }
        Assert.InRange(worst, 0, 50);
    }
}
