using Microsoft.Extensions.Options;
using NewsFeed.Storage;

namespace NewsFeed.Readers;

/// <summary>Counting readers per feed and day (docs/readers.md): the hot-path counter, its flusher, the store on either engine, and the stats API.</summary>
internal static class ReadersRegistration
{
    public static WebApplicationBuilder AddReaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReadersOptions>().BindConfiguration(ReadersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services => new ReaderAgents(services.GetRequiredService<IOptions<ReadersOptions>>().Value.MaxCachedUserAgents));
        builder.Services.AddSingleton<ReaderCounter>();
        builder.Services.AddSingleton<ReaderMetrics>();
        builder.Services.AddSingleton<FeedStatsReader>();
        builder.Services.AddSingleton<IReaderStore>(services => StorageOptions.ProviderOf(builder.Configuration) == StorageProvider.Postgres
            ? new PostgresReaderStore(services.GetRequiredService<PostgresDatabase>())
            : new SqliteReaderStore(services.GetRequiredService<SqliteFile>()));
        builder.Services.AddSingleton<ReaderFlusher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReaderFlusher>());
        return builder;
    }

    /// <summary>The counter feeds call, or null when counting is off (<see cref="ReadersOptions.Enabled"/>): then the hot path skips it entirely.</summary>
    public static ReaderCounter? CounterOf(IServiceProvider services) =>
        services.GetRequiredService<IOptions<ReadersOptions>>().Value.Enabled ? services.GetRequiredService<ReaderCounter>() : null;

    public static IEndpointRouteBuilder MapReaders(this IEndpointRouteBuilder app) => app.MapStatsApi();
}
