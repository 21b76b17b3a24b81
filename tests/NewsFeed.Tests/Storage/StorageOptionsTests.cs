using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Storage;

namespace NewsFeed.Tests.Storage;

/// <summary>Where the store lives: <c>Storage:DatabasePath</c>, and the setting it replaced.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public async Task LegacyArticlesDatabasePath_Alone_IsStillTheStoresFile()
    {
        var legacy = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N"), "legacy.db");
        using var app = new NewsFeedApp { Settings = { ["Storage:DatabasePath"] = null, ["Articles:DatabasePath"] = legacy } };
        using var client = app.CreateClient();

        var latest = await client.GetStringAsync("/feeds/latest.rss");

        Assert.Equal(legacy, app.Services.GetRequiredService<SqliteFile>().Path);
        Assert.True(File.Exists(legacy), "an existing deployment keeps its file");
        Assert.Contains("<item>", latest, StringComparison.Ordinal);
        new SqliteFile(legacy).ClearPool();
        Directory.Delete(Path.GetDirectoryName(legacy)!, recursive: true);
    }

    [Fact]
    public void StorageDatabasePath_WhenBothAreSet_Wins()
    {
        using var app = new NewsFeedApp { Settings = { ["Articles:DatabasePath"] = "/nonexistent/legacy.db" } };
        using var client = app.CreateClient();

        Assert.Equal(app.DatabasePath, app.Services.GetRequiredService<SqliteFile>().Path);
    }
}
