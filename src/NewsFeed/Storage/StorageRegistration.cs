using Microsoft.Extensions.Options;

namespace NewsFeed.Storage;

internal static class StorageRegistration
{
    /// <summary>
    /// The store's engine (<see cref="StorageOptions.Provider"/>: the SQLite file, or a PostgreSQL database with
    /// its change listener), its schema (migrated at start, before any other hosted service runs), the outbox,
    /// the readiness check, and the 503 answered while the store cannot be reached. The first feature call in
    /// Program.cs: every other feature keeps its tables here.
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
                options.ConnectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<StorageMigrator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StorageMigrator>());
        // No recipients unless a feature names them (WebSub registers its hubs, which replaces this).
        builder.Services.AddSingleton(_ => new OutboxRecipients([]));
        // Run by Program.cs's UseExceptionHandler: a store that cannot be reached is a 503, not a 500.
        builder.Services.AddExceptionHandler<StoreUnavailableHandler>();

        if (StorageOptions.ProviderOf(builder.Configuration) == StorageProvider.Postgres)
        {
            builder.Services.AddSingleton(services =>
                new PostgresDatabase(services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!));
            // After the migrator: it reads the revision the migrations create.
            builder.Services.AddSingleton<PostgresChangeListener>();
            builder.Services.AddHostedService(services => services.GetRequiredService<PostgresChangeListener>());
            builder.Services.AddSingleton<IOutbox>(services => new PostgresOutbox(services.GetRequiredService<PostgresDatabase>()));
            builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("store", tags: ["ready"]);
            return builder;
        }

        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var root = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new SqliteFile(Path.GetFullPath(options.DatabasePath, root));
        });
        builder.Services.AddSingleton<IOutbox>(services => new SqliteOutbox(services.GetRequiredService<SqliteFile>()));
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("store", tags: ["ready"]);
        return builder;
    }
}
