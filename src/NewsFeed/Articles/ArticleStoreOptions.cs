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
}
