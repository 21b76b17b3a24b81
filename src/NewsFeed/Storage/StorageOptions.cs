using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Storage;

/// <summary>The "Storage" configuration section: which engine keeps the store, and where.</summary>
internal sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>The connection string's name under ConnectionStrings (the store on <see cref="StorageProvider.Postgres"/>).</summary>
    public const string ConnectionStringName = "NewsFeed";

    /// <summary>The setting <see cref="DatabasePath"/> replaced; when set, it still names the file (with a warning at start), so an existing deployment keeps its store.</summary>
    public const string LegacyDatabasePathKey = "Articles:DatabasePath";

    /// <summary>The engine: the embedded SQLite file (default), or a PostgreSQL database several instances share.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite database file, created on first run; a relative path is resolved against the content root.</summary>
    [Required]
    public string DatabasePath { get; set; } = "newsfeed.db";

    /// <summary>The PostgreSQL connection string: read from <c>ConnectionStrings:NewsFeed</c>, not from this section.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The provider named by configuration, read before the options are built (registration depends on it).</summary>
    public static StorageProvider ProviderOf(IConfiguration configuration) =>
        Enum.TryParse<StorageProvider>(configuration[$"{Section}:{nameof(Provider)}"], ignoreCase: true, out var provider) ? provider : StorageProvider.Sqlite;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                $"ConnectionStrings:{ConnectionStringName} is required when Storage:Provider is Postgres (for example \"Host=db;Database=newsfeed;Username=newsfeed;Password=...\").",
                [nameof(ConnectionString)]);
        }
    }
}

internal enum StorageProvider
{
    /// <summary>One SQLite file beside one process (the embedded default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by any number of instances.</summary>
    Postgres,
}
