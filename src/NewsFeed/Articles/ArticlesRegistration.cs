using NewsFeed.Storage;

namespace NewsFeed.Articles;

internal static class ArticlesRegistration
{
    public static WebApplicationBuilder AddArticles(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArticleStoreOptions>()
            .BindConfiguration(ArticleStoreOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<IArticleStore>(services =>
            new SqliteArticleStore(services.GetRequiredService<SqliteFile>(), services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ArticleImporter>();
        builder.Services.AddHostedService<ArticleSeeder>();
        builder.Services.AddHostedService<ArticleStoreWatcher>();
        return builder;
    }
}
