using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Articles;

/// <summary>The "Articles" configuration section.</summary>
public sealed class ArticleStoreOptions
{
    public const string Section = "Articles";

    /// <summary>SQLite database file, created on first run; a relative path is resolved against the content root.</summary>
    [Required]
    public string DatabasePath { get; set; } = "newsfeed.db";

    /// <summary>Folder of article JSON files imported into an empty store on first start; relative to the content root. Null: no seeding.</summary>
    public string? SeedDirectory { get; set; }

    /// <summary>How often the server looks for writes made to the file by another process (the import command).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ExternalChangeCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
