using Microsoft.Extensions.Options;
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

        builder.Services.AddOptions<ContentOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                // Bound by hand: the binder appends configured list items to the defaults, and an operator's
                // list must replace them ("EmbedHosts": [] keeps no player).
                var hosts = configuration.GetSection(ContentOptions.Section).GetSection(nameof(ContentOptions.EmbedHosts));
                if (hosts.Exists()) options.EmbedHosts = hosts.Get<List<string>>() ?? [];
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // One policy for our bodies and partner items, built once from the settings (Partners passes it to the parser).
        builder.Services.AddSingleton(services => new ContentSanitizer(services.GetRequiredService<IOptions<ContentOptions>>().Value));

        if (StorageOptions.ProviderOf(builder.Configuration) == StorageProvider.Postgres)
        {
            builder.Services.AddSingleton<IArticleStore>(services => new PostgresArticleStore(
                services.GetRequiredService<PostgresDatabase>(), services.GetRequiredService<PostgresChangeListener>(),
                services.GetRequiredService<TimeProvider>(), services.GetRequiredService<OutboxRecipients>()));
        }
        else
        {
            builder.Services.AddSingleton<IArticleStore>(services => new SqliteArticleStore(
                services.GetRequiredService<SqliteFile>(), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<OutboxRecipients>()));
        }
        builder.Services.AddSingleton<ArticleImporter>();
        builder.Services.AddHostedService<ArticleSeeder>();
        builder.Services.AddHostedService<ArticleStoreWatcher>();
        builder.Services.AddSingleton<EmbargoLiftAnnouncer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmbargoLiftAnnouncer>());
        return builder;
    }
}
