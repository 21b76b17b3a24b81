namespace NewsFeed.Tests;

/// <summary>
/// Waits for a state the app signals (a count it keeps, a request a server received), checking it often, and
/// fails with <c>what</c> when it has not come by the deadline. Never a fixed sleep: a test waits exactly as
/// long as the app takes, and the deadline only bounds a hang.
/// </summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what());
            await Task.Delay(10);
        }
    }

    /// <summary>As above, for a state read asynchronously (a count in the store).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what());
            await Task.Delay(10);
        }
    }
}
