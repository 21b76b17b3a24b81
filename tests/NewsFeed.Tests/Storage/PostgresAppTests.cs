using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Storage;

namespace NewsFeed.Tests.Storage;

/// <summary>The whole app on <c>Storage:Provider = Postgres</c>: the engine's stores, migrator, listener and readiness check are the ones registered.</summary>
public sealed class PostgresAppTests
{
    [Theory, OnPostgres]
    public async Task App_OnPostgres_SeedsServesFeedsAndIsReady(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        using var app = new NewsFeedApp
        {
            Settings = { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:NewsFeed"] = db.ConnectionString },
        };
        using var client = app.CreateClient();

        var latest = await client.GetStringAsync("/feeds/latest.rss");

        Assert.Contains("<item>", latest, StringComparison.Ordinal);
        Assert.IsType<PostgresArticleStore>(app.Services.GetRequiredService<IArticleStore>());
        Assert.IsType<PostgresPartnerStore>(app.Services.GetRequiredService<IPartnerStore>());
        Assert.IsType<PostgresOutbox>(app.Services.GetRequiredService<IOutbox>());
        Assert.Null(app.Services.GetService<SqliteFile>());
        Assert.False(File.Exists(app.DatabasePath), "no SQLite file beside a PostgreSQL store");
        var listener = app.Services.GetRequiredService<PostgresChangeListener>();
        await Eventually.WaitUntilAsync(() => listener.IsListening, TimeSpan.FromSeconds(10), () => "the app's listener did not listen");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.True(await app.Services.GetRequiredService<IArticleStore>().CountAsync(CancellationToken.None) > 0);
    }
}
