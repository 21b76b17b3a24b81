using System.Globalization;
using System.Net;
using NewsFeed.Partners;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// A 429 or 503 is never retried sooner than Partners:MinRetryDelay (1 s by default), whatever its Retry-After
/// says: a date just past, 0, or a value that does not parse.
/// </summary>
public sealed class PartnerRetryFloorTests(PartnerRetryFloorTests.Fixture fixture) : IClassFixture<PartnerRetryFloorTests.Fixture>
{
    /// <summary>The partner harness with the default floor (the shared test settings lower it to keep other tests quick).</summary>
    public sealed class Fixture : IDisposable
    {
        public PartnerHarness Harness { get; } = PartnerHarness.With(new()
        {
            ["Partners:MinRetryDelay"] = new PartnerOptions().MinRetryDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Partners:TotalTimeout"] = "00:00:10",
        });

        public void Dispose() => Harness.Dispose();
    }

    [Fact]
    public void MinRetryDelay_DefaultsToOneSecond() => Assert.Equal(TimeSpan.FromSeconds(1), new PartnerOptions().MinRetryDelay);

    [Theory]
    [InlineData(503, "past-date")]
    [InlineData(429, "past-date")]
    [InlineData(503, "0")]
    [InlineData(429, "0")]
    [InlineData(503, "-5")]
    [InlineData(429, "none")]
    public async Task Poll_RefusedWithARetryAfterThatIsDueAlready_RetriesNoSoonerThanOneSecond(int status, string retryAfter)
    {
        var harness = fixture.Harness;
        var id = $"floor-{status}-{retryAfter}";
        var path = $"/{id}.rss";
        await harness.AddPartnerAsync(id, path);
        var refusal = Response.Create().WithStatusCode(status);
        if (retryAfter == "past-date")
        {
            // The partner's clock says the wait ended a moment ago (its Date header is the reference, RFC 9110 §10.2.3).
            refusal = refusal.WithHeader("Retry-After", DateTimeOffset.UtcNow.AddSeconds(-2).ToString("r", CultureInfo.InvariantCulture));
        }
        else if (retryAfter != "none")
        {
            refusal = refusal.WithHeader("Retry-After", retryAfter);
        }
        harness.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(id).WillSetStateTo("ok").RespondWith(refusal);
        harness.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(id).WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(PartnerHarness.SampleFeed));

        var result = await harness.Poller.PollAsync(id, CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        var times = harness.Server.LogEntries.Where(e => e.RequestMessage.Path == path).Select(e => e.RequestMessage.DateTime).ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(0.95), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, null, 0, 1.0)]
    [InlineData(HttpStatusCode.TooManyRequests, "0", 0, 1.0)]
    [InlineData(HttpStatusCode.TooManyRequests, "7", 0, 7.0)]
    [InlineData(HttpStatusCode.ServiceUnavailable, null, 10, 10.24)]
    [InlineData(HttpStatusCode.InternalServerError, null, 0, null)]
    [InlineData(HttpStatusCode.InternalServerError, "0", 0, 0.0)]
    public void RetryDelay_FloorsOnlyRefusals_AndKeepsLongerWaits(HttpStatusCode status, string? retryAfter, int attempt, double? seconds)
    {
        var options = new PartnerOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        using var response = new HttpResponseMessage(status);
        if (retryAfter is not null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);

        var delay = PartnerResilience.RetryDelay(response, attempt, options);

        Assert.Equal(seconds, delay?.TotalSeconds);
    }
}
