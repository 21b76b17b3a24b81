using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Readers;

/// <summary>Counting readers (section "Readers"; docs/readers.md).</summary>
internal sealed class ReadersOptions
{
    public const string Section = "Readers";

    /// <summary>Count feed responses per feed and day. Off: nothing is counted and the hot path does not call the counter at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often counts go from memory to the store (and once more at shutdown).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Readers:FlushInterval must be between 1 second and 1 hour.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after midnight UTC a day stays open: then its client hashes are collapsed to counts and its key
    /// deleted. Longer than <see cref="FlushInterval"/>, so every instance's last flush of the day is in.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00", ErrorMessage = "Readers:CloseAfter must be between 1 second and 6 hours.")]
    public TimeSpan CloseAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Distinct clients of one feed held in memory between two flushes (a bound under a flood of addresses);
    /// beyond it, new clients are not counted until the next flush.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "Readers:MaxClientsPerFeed must be between 1 and 10,000,000.")]
    public int MaxClientsPerFeed { get; set; } = 50_000;

    /// <summary>Distinct User-Agent strings whose parse is kept.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Readers:MaxCachedUserAgents must be between 1 and 1,000,000.")]
    public int MaxCachedUserAgents { get; set; } = 10_000;

    /// <summary>The most days <c>/api/stats/feeds?days=N</c> and the dashboard show.</summary>
    [Range(1, 3660, ErrorMessage = "Readers:MaxDays must be between 1 and 3660.")]
    public int MaxDays { get; set; } = 366;
}
