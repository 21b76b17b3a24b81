using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace NewsFeed.Articles;

public static class ArticlesRegistration
{
    public static WebApplicationBuilder AddArticles(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArticleStoreOptions>()
            .BindConfiguration(ArticleStoreOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<IArticleStore>(services =>
        {
            var options = services.GetRequiredService<IOptions<ArticleStoreOptions>>().Value;
            var root = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new SqliteArticleStore(Path.GetFullPath(options.DatabasePath, root), services.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton<ArticleImporter>();
        builder.Services.AddHostedService<ArticleStoreInitializer>();
        builder.Services.AddHostedService<ArticleStoreWatcher>();
        builder.Services.AddHealthChecks().AddCheck<ArticleStoreHealthCheck>("store", tags: ["ready"]);
        return builder;
    }
}

/// <summary>/readyz: the store answers a query.</summary>
internal sealed class ArticleStoreHealthCheck(IArticleStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            return HealthCheckResult.Unhealthy("The article store does not answer.", exception);
        }
    }
}
