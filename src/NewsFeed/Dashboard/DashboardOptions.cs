using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Dashboard;

/// <summary>The newsroom dashboard at <c>/admin</c> (section "Dashboard"; docs/dashboard.md).</summary>
internal sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>How long a sign-in lasts (the cookie's ticket; it is not extended by use).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00", ErrorMessage = "Dashboard:SessionLifetime must be between 1 minute and 12 hours.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Days of circulation the chart and tables show, today included.</summary>
    [Range(1, 366, ErrorMessage = "Dashboard:Days must be between 1 and 366.")]
    public int Days { get; set; } = 30;

    /// <summary>Feeds drawn in the chart (those with the highest circulation); the tables list every feed.</summary>
    [Range(1, 12, ErrorMessage = "Dashboard:ChartedFeeds must be between 1 and 12.")]
    public int ChartedFeeds { get; set; } = 6;
}
