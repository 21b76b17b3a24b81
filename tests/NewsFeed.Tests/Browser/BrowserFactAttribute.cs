namespace NewsFeed.Tests.Browser;

/// <summary>
/// Where the tests find Chromium, and whether they may skip. Debian's <c>/usr/bin/chromium</c> unless
/// NEWSFEED_CHROMIUM names another; Playwright's own browser download is never used.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("NEWSFEED_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool IsCI =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>Skip only on a developer machine without Chromium; under CI=true a missing browser fails the run.</summary>
    public static string? SkipReason => File.Exists(ExecutablePath) || IsCI
        ? null
        : $"Browser test skipped: Chromium not found at {ExecutablePath}. Install it (apt-get install chromium, as .ci/run does) or set NEWSFEED_CHROMIUM. With CI=true these tests run and fail instead.";
}

/// <summary>A fact that drives real Chromium (see <see cref="Chromium.SkipReason"/>).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that drives real Chromium (see <see cref="Chromium.SkipReason"/>).</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (Chromium.SkipReason is { } reason) Skip = reason;
    }
}
