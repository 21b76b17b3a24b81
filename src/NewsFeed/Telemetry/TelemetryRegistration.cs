using NewsFeed.Admin;
using NewsFeed.RateLimits;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NewsFeed.Telemetry;

/// <summary>
/// OpenTelemetry for the NewsFeed meter and activity source, ASP.NET Core, HttpClient and the runtime: metrics and
/// traces over OTLP when an endpoint is configured, metrics on a Prometheus scrape endpoint when enabled (admin key
/// required unless configured otherwise). With neither, OpenTelemetry is not registered at all, and no request pays for it.
/// </summary>
internal static class TelemetryRegistration
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.OtlpConfigured && builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } standard)
        {
            options.OtlpEndpoint = standard;
        }
        if (!options.OtlpConfigured && !options.PrometheusEnabled)
        {
            return builder;
        }

        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("newsfeed"));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(NewsFeedMeter.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
            if (options.PrometheusEnabled) metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
            if (options.OtlpConfigured) metrics.AddOtlpExporter(otlp => Configure(otlp, options));
        });
        if (options.OtlpConfigured && Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out _))
        {
            otel.WithTracing(tracing => tracing
                .AddSource(NewsFeedActivity.Source.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(otlp => Configure(otlp, options)));
        }
        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, when enabled.</summary>
    public static IEndpointRouteBuilder MapTelemetry(this WebApplication app)
    {
        var options = app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.PrometheusEnabled) return app;
        var scrape = app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        // As the admin API: key required, and rate limited per client so it is no way to guess keys.
        if (options.PrometheusRequiresAdminKey) scrape.RequireAuthorization(AdminRegistration.AdminPolicy).RequireRateLimiting(RateLimitsRegistration.AdminPolicy);
        return app;
    }

    private static void Configure(OtlpExporterOptions otlp, TelemetryOptions options)
    {
        if (Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint)) otlp.Endpoint = endpoint;
        otlp.Protocol = options.OtlpProtocol == OtlpTransport.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }
}
