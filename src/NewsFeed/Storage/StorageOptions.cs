using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Storage;

/// <summary>The "Storage" configuration section: where the store lives.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The setting this one replaced; still read when <see cref="DatabasePath"/> is not set, so an existing deployment keeps its file.</summary>
    public const string LegacyDatabasePathKey = "Articles:DatabasePath";

    /// <summary>The SQLite database file, created on first run; a relative path is resolved against the content root.</summary>
    [Required]
    public string DatabasePath { get; set; } = "newsfeed.db";
}
