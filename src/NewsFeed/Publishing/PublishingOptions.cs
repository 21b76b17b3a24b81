using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Publishing;

/// <summary>The "Publishing" configuration section, as the articles API reads it. (Its API keys are the admin API's: <see cref="Admin.AdminOptions"/>.)</summary>
internal sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>The largest request body the articles API reads.</summary>
    [Range(1_024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;
}
