using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
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
        // The app stopped first: its background services may still write beside the file (CI once saw "Directory not empty").
        app.Dispose();
        new SqliteFile(legacy).ClearPool();
        Directory.Delete(Path.GetDirectoryName(legacy)!, recursive: true);
    }

    [Fact]
    public void LegacyArticlesDatabasePath_BesideTheNewSetting_WinsAndIsWarnedAbout()
    {
        var legacy = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N"), "legacy.db");
        var logs = new FakeLogCollector();
        using var app = new NewsFeedApp
        {
            Settings = { ["Articles:DatabasePath"] = legacy },
            TestServices = services => services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs))),
        };
        using var client = app.CreateClient();

        Assert.Equal(legacy, app.Services.GetRequiredService<SqliteFile>().Path);
        Assert.Contains(logs.GetSnapshot(), log => log.Level == LogLevel.Warning && log.Message.Contains("Articles:DatabasePath", StringComparison.Ordinal));
        // The app stopped first: its background services may still write beside the file (CI once saw "Directory not empty").
        app.Dispose();
        new SqliteFile(legacy).ClearPool();
        Directory.Delete(Path.GetDirectoryName(legacy)!, recursive: true);
    }
}
