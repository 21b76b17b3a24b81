using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsFeed.Partners;
using Polly;
using Polly.Telemetry;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// One circuit breaker per partner host: a failing host is left alone, other hosts are not affected, and one
/// partner's own failures (404, 410, 429, an unreadable document) never stop the other partners on its host.
/// </summary>
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
    [InlineData("404")]
    [InlineData("410")]
    [InlineData("429")]
    [InlineData("broken-xml")]
    public async Task OnePartnersOwnFailure_NeverOpensTheSharedHostsCircuit(string failure)
    {
        // A shared feed host (Substack, Medium, WordPress.com): two partners, one authority.
        using var harness = PartnerHarness.With(new()
        {
            ["Partners:BreakerMinimumThroughput"] = "2",
            ["Partners:BreakerFailureRatio"] = "0.5",
            ["Partners:BreakerSamplingDuration"] = "00:01:00",
            ["Partners:BreakerBreakDuration"] = "00:01:00",
        });
        harness.Serve("/broken/feed", failure switch
        {
            "broken-xml" => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/rss+xml").WithBody("<rss><channel><item><title>"),
            "429" => Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0"),
            _ => Response.Create().WithStatusCode(int.Parse(failure, System.Globalization.CultureInfo.InvariantCulture)),
        });
        harness.ServeFeed("/healthy/feed", PartnerHarness.SampleFeed);
        await harness.AddPartnerAsync("broken", "/broken/feed");
        await harness.AddPartnerAsync("healthy", "/healthy/feed");

        for (var i = 0; i < 5; i++)
        {
            Assert.Contains((await harness.Poller.PollAsync("broken", CancellationToken.None)).Outcome, new[] { PollOutcome.Failed, PollOutcome.Gone });
        }
        var healthy = await harness.Poller.PollAsync("healthy", CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, healthy.Outcome);
        Assert.Equal(1, harness.RequestsTo("/healthy/feed"));
    }

    public static TheoryData<string, string, bool> Outcomes => new()
    {
        { "500", "http://feeds.example.com/a", true },
        { "503", "http://feeds.example.com/a", true },
        { "timeout", "http://feeds.example.com/a", true },
        { "connect", "http://feeds.example.com/a", true },
        { "404", "http://feeds.example.com/a", false },
        { "429", "http://feeds.example.com/a", false },
        { "refused", "http://feeds.example.com/a", false },
        { "500", "http://elsewhere.example.net/a", false },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void IsHostFailure_CountsOnlyTheConfiguredHostFailing(string outcome, string url, bool counted)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Options.Set(PartnerFetcher.PipelineKey, "feeds.example.com");
        var context = ResilienceContextPool.Shared.Get();
        context.SetRequestMessage(request);
        using var response = int.TryParse(outcome, out var status) ? new HttpResponseMessage((System.Net.HttpStatusCode)status) : null;
        var result = outcome switch
        {
            "timeout" => Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException()),
            "connect" => Outcome.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused")),
            "refused" => Outcome.FromException<HttpResponseMessage>(new HttpRequestException("An error occurred", new HttpRequestException(PartnerAddressGuard.RefusedMessage + ": 'x' resolves to 10.0.0.1."))),
            _ => Outcome.FromResult(response!),
        };

        Assert.Equal(counted, PartnerResilience.IsHostFailure(result, context));
        ResilienceContextPool.Shared.Return(context);
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
