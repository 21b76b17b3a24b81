using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Telemetry;

/// <summary>OpenTelemetry export (section "Telemetry"; docs/metrics.md). Nothing is exported, and nothing listens, unless one of these is set.</summary>
internal sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>
    /// The OTLP collector to send metrics and traces to (e.g. <c>http://otel-collector:4317</c>); empty: no OTLP.
    /// OpenTelemetry's own <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is used when this is not set.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>OTLP over gRPC (<c>Grpc</c>, port 4317) or HTTP (<c>HttpProtobuf</c>, port 4318).</summary>
    public OtlpTransport OtlpProtocol { get; set; } = OtlpTransport.Grpc;

    /// <summary>Serve a Prometheus scrape endpoint at <see cref="PrometheusPath"/>. Off by default.</summary>
    public bool PrometheusEnabled { get; set; }

    [RegularExpression("^/[A-Za-z0-9/_.-]*$", ErrorMessage = "Telemetry:PrometheusPath must be a path starting with '/'.")]
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>The scrape needs an admin API key (<c>Authorization: Bearer</c>, Prometheus's <c>authorization</c> setting); false opens it to anyone who reaches it.</summary>
    public bool PrometheusRequiresAdminKey { get; set; } = true;

    public bool OtlpConfigured => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpConfigured && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Telemetry:OtlpEndpoint must be an absolute URL, e.g. http://otel-collector:4317.", [nameof(OtlpEndpoint)]);
        }
    }
}

internal enum OtlpTransport
{
    Grpc,
    HttpProtobuf,
}
