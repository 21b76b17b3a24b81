using Microsoft.Extensions.Options;

namespace NewsFeed.Storage;

internal static class StorageRegistration
{
    /// <summary>
    /// The store's file, its schema (migrated at start, before any other hosted service runs), its
    /// readiness check, and the 503 answered while it cannot be reached. The first feature call in Program.cs: every other feature keeps its tables here.
    /// </summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                // The shipped appsettings.json names only the new key, so the old one, when set, is an operator's
                // own setting from before the rename: it wins, so an upgrade never opens a new, empty store.
                if (configuration[StorageOptions.LegacyDatabasePathKey] is { Length: > 0 } legacy)
                {
                    options.DatabasePath = legacy;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var root = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new SqliteFile(Path.GetFullPath(options.DatabasePath, root));
        });
        builder.Services.AddSingleton<IOutbox>(services => new SqliteOutbox(services.GetRequiredService<SqliteFile>()));
        // No recipients unless a feature names them (WebSub registers its hubs, which replaces this).
        builder.Services.AddSingleton(_ => new OutboxRecipients([]));
        builder.Services.AddSingleton<StorageMigrator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StorageMigrator>());
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("store", tags: ["ready"]);
        // Run by Program.cs's UseExceptionHandler: a store that cannot be reached is a 503, not a 500.
        builder.Services.AddExceptionHandler<StoreUnavailableHandler>();
        return builder;
    }
}
