using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Storage;

/// <summary>The "Storage" configuration section: where the store lives.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The setting <see cref="DatabasePath"/> replaced; when set, it still names the file (with a warning at start), so an existing deployment keeps its store.</summary>
    public const string LegacyDatabasePathKey = "Articles:DatabasePath";

    /// <summary>The SQLite database file, created on first run; a relative path is resolved against the content root.</summary>
    [Required]
    public string DatabasePath { get; set; } = "newsfeed.db";
}
