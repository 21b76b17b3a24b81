using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Articles;

/// <summary>The "Articles" configuration section. (Where the store lives is the "Storage" section's.)</summary>
internal sealed class ArticleStoreOptions
{
    public const string Section = "Articles";

    /// <summary>Folder of article JSON files imported into an empty store on first start; relative to the content root. Null: no seeding.</summary>
    public string? SeedDirectory { get; set; }

    /// <summary>How often the server looks for writes made to the file by another process (the import command).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ExternalChangeCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
