using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Telemetry;

namespace NewsFeed;

/// <summary>
/// One warning line per failed attempt of an outbound HTTP pipeline (a WebSub hub, a partner feed), with the
/// address, the attempt number and the reason (status code or exception message), never a stack trace; and one
/// line when a host's circuit opens. It replaces Polly's own log of these pipelines, which writes each attempt
/// and each retry with the exception's stack trace (an offline hub filled the log with them), while Polly's
/// metrics (<c>resilience.polly.*</c>) stay as they are: only the pipeline's logger is replaced, through
/// Polly's documented <see cref="TelemetryOptions"/> (a listener for the lines, no logger factory for its own).
/// </summary>
internal sealed partial class FailedAttemptLog(ILogger logger, string target, int maxRetryAttempts) : TelemetryListener
{
    /// <summary>
    /// Gives <paramref name="pipeline"/> the app's telemetry options (metering enrichers, result formatter,
    /// severities) without Polly's logger, and this log in its place. <paramref name="target"/> names what the
    /// address is ("WebSub hub", "Partner feed"); <paramref name="maxRetryAttempts"/> is the retry strategy's.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilderBase pipeline, IServiceProvider services, ILogger logger, string target, int maxRetryAttempts)
    {
        var telemetry = new TelemetryOptions(services.GetRequiredService<IOptions<TelemetryOptions>>().Value)
        {
            LoggerFactory = NullLoggerFactory.Instance,
        };
        telemetry.TelemetryListeners.Add(new FailedAttemptLog(logger, target, maxRetryAttempts));
        pipeline.ConfigureTelemetry(telemetry);
    }

    public override void Write<TResult, TArgs>(in TelemetryEventArguments<TResult, TArgs> args)
    {
        if (typeof(TArgs) == typeof(ExecutionAttemptArguments))
        {
            var attempt = (ExecutionAttemptArguments)(object)args.Arguments!;
            if (args.Outcome is not { } outcome || ReasonOf(outcome.Exception, outcome.Result as HttpResponseMessage) is not { } reason) return;
            // Cancelled from outside the attempt (the total timeout, the caller's deadline, shutdown): the caller
            // reports how the whole operation ended, and the attempt itself did not fail.
            if (outcome.Exception is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested) return;
            var next = !attempt.Handled ? "not retried" : attempt.AttemptNumber < maxRetryAttempts ? "retrying" : "no retries left";
            LogFailedAttempt(logger, target, AddressOf(args.Context, args.Source), attempt.AttemptNumber + 1, reason, next);
        }
        else if (typeof(TArgs) == typeof(OnCircuitOpenedArguments<HttpResponseMessage>) && args.Arguments is OnCircuitOpenedArguments<HttpResponseMessage> opened)
        {
            LogCircuitOpened(logger, target, args.Source.PipelineInstanceName ?? AddressOf(args.Context, args.Source), opened.BreakDuration);
        }
    }

    /// <summary>Why an attempt failed, or null when it did not: a response of 400 or more, or an exception.</summary>
    internal static string? ReasonOf(Exception? exception, HttpResponseMessage? response) => (exception, response) switch
    {
        ({ } error, _) => error.Message,
        (_, { StatusCode: >= HttpStatusCode.BadRequest } failed) => $"HTTP {(int)failed.StatusCode} {failed.ReasonPhrase}".TrimEnd(),
        _ => null,
    };

    private static string AddressOf(ResilienceContext context, ResilienceTelemetrySource source) =>
        context.GetRequestMessage()?.RequestUri?.ToString() ?? source.PipelineInstanceName ?? "(unknown)";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Target} {Address}: attempt {Attempt} failed, {Next}: {Reason}")]
    private static partial void LogFailedAttempt(ILogger logger, string target, string address, int attempt, string reason, string next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Target} host {Host}: circuit opened for {BreakDuration} after repeated failures")]
    private static partial void LogCircuitOpened(ILogger logger, string target, string host, TimeSpan breakDuration);
}
