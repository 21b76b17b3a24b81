using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Testing;
using Polly;
using NewsFeed.Partners;
using NewsFeed.Tests.Partners;
using NewsFeed.WebSub;

namespace NewsFeed.Tests;

/// <summary>
/// A hub or partner that refuses connections: one warning line per attempt, naming the address, the attempt and
/// the reason, and no stack trace anywhere in the log (Polly's and HttpClient's own lines carried one each);
/// Polly's metrics are still recorded.
/// </summary>
public sealed class FailedAttemptLogTests
{
    [Fact]
    public async Task WebSubHub_RefusingConnections_LogsOneWarningLinePerAttempt_AndNoStackTrace()
    {
        var hub = $"http://127.0.0.1:{ServerProcess.FreePort()}/refusing-hub";
        var logs = new FakeLogCollector();
        using var app = new NewsFeedApp
        {
            // 1 attempt + 3 retries, 10 ms apart (NewsFeedApp's WebSub settings).
            Settings = { ["WebSub:MaxRetries"] = "3", ["Partners:RegistryPath"] = "", ["Partners:PollingEnabled"] = "false" },
            TestServices = services => services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs))),
        };
        using var client = app.CreateClient(); // starts the host
        var webSub = app.Services.GetRequiredService<WebSubClient>();

        await Assert.ThrowsAsync<HttpRequestException>(() => webSub.PublishAsync(hub, "http://localhost/feeds/latest.rss", CancellationToken.None));

        var attempts = logs.GetSnapshot().Where(log => log.Message.Contains(hub, StringComparison.Ordinal)).ToList();
        Assert.Equal(4, attempts.Count);
        Assert.All(attempts, log => Assert.Equal(LogLevel.Warning, log.Level));
        Assert.All(attempts, log => Assert.Equal(typeof(WebSubClient).FullName, log.Category));
        Assert.Equal(
            [
                $"WebSub hub {hub}: attempt 1 failed, retrying: ",
                $"WebSub hub {hub}: attempt 2 failed, retrying: ",
                $"WebSub hub {hub}: attempt 3 failed, retrying: ",
                $"WebSub hub {hub}: attempt 4 failed, no retries left: ",
            ],
            attempts.Select(log => log.Message[..(log.Message.IndexOf(": ", log.Message.IndexOf("attempt", StringComparison.Ordinal), StringComparison.Ordinal) + 2)]));
        Assert.All(attempts, log => Assert.Contains("Connection refused", log.Message, StringComparison.Ordinal));
        AssertNoStackTrace(logs);
    }

    [Fact]
    public async Task PartnerFeed_RefusingConnections_LogsOneWarningLinePerAttempt_AndNoStackTrace_AndPollyStillMeters()
    {
        var port = ServerProcess.FreePort();
        var feed = $"http://127.0.0.1:{port}/feed.rss";
        var logs = new FakeLogCollector();
        using var app = new NewsFeedApp
        {
            Settings = new(PartnerHarness.TestSettings), // 3 retries, 10 ms apart; loopback allowed; no breaker
            TestServices = services => services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs))),
        };
        using var client = app.CreateClient();
        var attemptsMetered = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.attempt.duration") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "pipeline.instance", Value: string instance } && instance == $"127.0.0.1:{port}") Interlocked.Increment(ref attemptsMetered);
            }
        });
        listener.Start();

        var result = await app.Services.GetRequiredService<PartnerFetcher>().FetchAsync(new Uri(feed), null, null, CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        var attempts = logs.GetSnapshot().Where(log => log.Message.Contains(feed, StringComparison.Ordinal)).ToList();
        Assert.Equal(4, attempts.Count);
        Assert.All(attempts, log => Assert.Equal(LogLevel.Warning, log.Level));
        Assert.All(attempts, log => Assert.Equal(typeof(PartnerFetcher).FullName, log.Category));
        Assert.All(attempts.Select((log, i) => (log, i)), x =>
            Assert.StartsWith($"Partner feed {feed}: attempt {x.i + 1} failed, ", x.log.Message, StringComparison.Ordinal));
        Assert.All(attempts, log => Assert.Contains("Could not connect to the partner host", log.Message, StringComparison.Ordinal));
        AssertNoStackTrace(logs);
        Assert.Equal(4, Volatile.Read(ref attemptsMetered));
    }

    [Theory]
    [InlineData(503, "Service Unavailable", "HTTP 503 Service Unavailable")]
    [InlineData(404, "", "HTTP 404")]
    [InlineData(304, null, null)]
    [InlineData(200, "OK", null)]
    public void Reason_OfAResponse_IsItsStatusFrom400Up(int status, string? phrase, string? expected)
    {
        using var response = new HttpResponseMessage((System.Net.HttpStatusCode)status) { ReasonPhrase = phrase };

        Assert.Equal(expected, FailedAttemptLog.ReasonOf(null, response));
    }

    [Fact]
    public async Task Pipeline_NotRetriedStatus_AndAnOpeningCircuit_AreOneLineEach()
    {
        var logger = new FakeLogger();
        var services = new ServiceCollection().AddOptions().BuildServiceProvider();
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        FailedAttemptLog.Configure(builder, services, logger, "Partner feed", maxRetryAttempts: 2);
        var pipeline = builder
            .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.Zero })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions { MinimumThroughput = 2, FailureRatio = 0.5, BreakDuration = TimeSpan.FromMinutes(1) })
            .Build();

        using var notFound = await pipeline.ExecuteAsync(_ => ValueTask.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound)));
        await Assert.ThrowsAsync<Polly.CircuitBreaker.BrokenCircuitException>(async () =>
            await pipeline.ExecuteAsync(_ => ValueTask.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError))));

        var lines = logger.Collector.GetSnapshot().Select(log => (log.Level, log.Message, log.Exception)).ToList();
        Assert.All(lines, line => Assert.Equal(LogLevel.Warning, line.Level));
        Assert.All(lines, line => Assert.Null(line.Exception));
        // The 404 is not retried. The circuit opens inside the 500's attempt (two calls, one failed: its ratio),
        // and the retry meets it open, which is not retried again.
        Assert.Equal(
            [
                "Partner feed (unknown): attempt 1 failed, not retried: HTTP 404 Not Found",
                "Partner feed host (unknown): circuit opened for 00:01:00 after repeated failures",
                "Partner feed (unknown): attempt 1 failed, retrying: HTTP 500 Internal Server Error",
                "Partner feed (unknown): attempt 2 failed, not retried: The circuit is now open and is not allowing calls.",
            ],
            lines.Select(line => line.Message));
    }

    /// <summary>No line anywhere in the app's log carries an exception or a stack frame, and neither Polly nor HttpClient logged.</summary>
    private static void AssertNoStackTrace(FakeLogCollector logs)
    {
        var all = logs.GetSnapshot();
        Assert.All(all, log => Assert.Null(log.Exception));
        Assert.DoesNotContain(all, log => log.Message.Contains("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain(all, log => log.Category == "Polly" || (log.Category?.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) ?? false));
    }
}
