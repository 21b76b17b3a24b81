using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsFeed.Partners;
using Polly;
using Polly.Telemetry;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

/// <summary>One circuit breaker per partner host: a failing host is left alone, other hosts are not affected.</summary>
public sealed class PartnerCircuitBreakerTests
{
    [Fact]
    public async Task FailingHost_OpensItsCircuit_OtherHostStillPolled()
    {
        using var harness = PartnerHarness.With(new()
        {
            ["Partners:BreakerMinimumThroughput"] = "2",
            ["Partners:BreakerFailureRatio"] = "0.5",
            ["Partners:BreakerSamplingDuration"] = "00:01:00",
            ["Partners:BreakerBreakDuration"] = "00:01:00",
        });
        var port = new Uri(harness.Server.Url!).Port;
        harness.Serve("/failing.rss", Response.Create().WithStatusCode(500));
        harness.ServeFeed("/healthy.rss", PartnerHarness.Fixture("harbor-gazette.rss"));
        // Same server, two authorities: 127.0.0.1:port and localhost:port are two hosts to the breaker.
        await harness.Store.AddAsync(new Partner { Id = "failing", Name = "Failing", Url = $"http://127.0.0.1:{port}/failing.rss" }, harness.App.Time.GetUtcNow(), CancellationToken.None);
        await harness.Store.AddAsync(new Partner { Id = "same-host", Name = "Same host", Url = $"http://127.0.0.1:{port}/healthy.rss" }, harness.App.Time.GetUtcNow(), CancellationToken.None);
        await harness.Store.AddAsync(new Partner { Id = "other-host", Name = "Other host", Url = $"http://localhost:{port}/healthy.rss" }, harness.App.Time.GetUtcNow(), CancellationToken.None);

        var failing = await harness.Poller.PollAsync("failing", CancellationToken.None);
        var requestsToFailing = harness.RequestsTo("/failing.rss");
        var sameHost = await harness.Poller.PollAsync("same-host", CancellationToken.None);
        var otherHost = await harness.Poller.PollAsync("other-host", CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, failing.Outcome);
        Assert.True(requestsToFailing < 4, $"the breaker cut the retries short after {requestsToFailing} requests");
        Assert.Equal(PollOutcome.Failed, sameHost.Outcome);
        Assert.Contains("Circuit open", sameHost.Error, StringComparison.Ordinal);
        Assert.Equal(PollOutcome.Updated, otherHost.Outcome);
        Assert.Equal(1, harness.RequestsTo("/healthy.rss"));
    }

    [Theory]
    [InlineData(ResilienceEventSeverity.Error, ResilienceEventSeverity.Warning)]
    [InlineData(ResilienceEventSeverity.Critical, ResilienceEventSeverity.Warning)]
    [InlineData(ResilienceEventSeverity.Warning, ResilienceEventSeverity.Warning)]
    [InlineData(ResilienceEventSeverity.Information, ResilienceEventSeverity.Information)]
    public void ResilienceEvents_AnUpstreamsTimeoutOrOpenCircuit_IsAWarningNotAnError(ResilienceEventSeverity polly, ResilienceEventSeverity logged)
    {
        using var harness = new PartnerHarness();
        var telemetry = harness.App.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var context = ResilienceContextPool.Shared.Get();

        var severity = telemetry.SeverityProvider!(new SeverityProviderArguments(
            new ResilienceTelemetrySource("PartnerFetcher-partners", "partner.example", "Timeout"), new ResilienceEvent(polly, "OnTimeout"), context));

        Assert.Equal(logged, severity);
        ResilienceContextPool.Shared.Return(context);
    }
}
