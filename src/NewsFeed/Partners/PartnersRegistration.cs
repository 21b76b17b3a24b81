using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NewsFeed.Storage;
using Polly.Telemetry;

namespace NewsFeed.Partners;

internal static class PartnersRegistration
{
    public static WebApplicationBuilder AddPartners(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PartnerOptions>().BindConfiguration(PartnerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (StorageOptions.ProviderOf(builder.Configuration) == StorageProvider.Postgres)
        {
            builder.Services.AddSingleton<IPartnerStore>(services => new PostgresPartnerStore(
                services.GetRequiredService<PostgresDatabase>(), services.GetRequiredService<PostgresChangeListener>(), services.GetRequiredService<OutboxRecipients>()));
        }
        else
        {
            builder.Services.AddSingleton<IPartnerStore>(services => new SqlitePartnerStore(services.GetRequiredService<SqliteFile>(), services.GetRequiredService<OutboxRecipients>()));
        }
        builder.Services.AddSingleton<PartnerMetrics>();
        builder.Services.AddSingleton<PollInterpreter>();
        builder.Services.AddSingleton<PartnerPoller>();
        builder.Services.AddHostedService<PartnerRegistryInitializer>();
        builder.Services.AddHostedService<PartnerPollingService>();

        // Polly rates an attempt timeout and an opened circuit as errors; for a poller (and the WebSub pings, which
        // share these telemetry options) they are an upstream's failure, handled and recorded with the partner's id:
        // warnings (the event.severity of Polly's metrics; its log of these pipelines is FailedAttemptLog's lines).
        builder.Services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = args =>
            args.Event.Severity > ResilienceEventSeverity.Warning ? ResilienceEventSeverity.Warning : args.Event.Severity);
        builder.Services.AddHttpClient<PartnerFetcher>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var options = services.GetRequiredService<IOptions<PartnerOptions>>().Value;
                return new SocketsHttpHandler
                {
                    // Redirects are followed by PartnerFetcher, one checked hop at a time.
                    AllowAutoRedirect = false,
                    // A proxy would make the SSRF guard check the proxy, not the partner.
                    UseProxy = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.All,
                    MaxResponseHeadersLength = options.MaxResponseHeadersKilobytes,
                    ConnectTimeout = options.AttemptTimeout,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, cancellationToken) => PartnerAddressGuard.ConnectAsync(context, options, cancellationToken),
                };
            })
            // HttpClient's own log writes each failed request with its stack trace; FailedAttemptLog writes one line instead.
            .RemoveAllLoggers()
            .AddResilienceHandler("partners", (pipeline, context) => PartnerResilience.Build(pipeline, context.ServiceProvider))
            // One pipeline per partner's configured host (not per redirect hop's, which a partner chooses).
            .SelectPipelineBy(_ => request =>
                request.Options.TryGetValue(PartnerFetcher.PipelineKey, out var host) ? host : request.RequestUri?.Authority ?? "");
        return builder;
    }
}
