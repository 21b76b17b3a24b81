using NewsFeed.Partners;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

/// <summary>What a partner tells us about storing and about bots: no-store leaves no validators, a CDN's bot challenge is its own failure.</summary>
public sealed class PartnerPolitenessTests(PartnerHarness harness) : IClassFixture<PartnerHarness>
{
    [Fact]
    public async Task Poll_NoStoreResponse_LeavesNoValidatorsAndTheNextPollIsUnconditional()
    {
        const string path = "/no-store.rss";
        await harness.AddPartnerAsync("no-store", path);
        harness.Serve(path, Response.Create().WithStatusCode(200).WithHeader("Cache-Control", "no-store").WithHeader("ETag", "\"v1\"")
            .WithHeader("Last-Modified", "Tue, 24 Nov 2026 09:30:00 GMT").WithBody(PartnerHarness.SampleFeed));

        await harness.Poller.PollAsync("no-store", CancellationToken.None);
        await harness.Poller.PollAsync("no-store", CancellationToken.None);

        var state = (await harness.StatusAsync("no-store")).State;
        Assert.Null(state.ETag);
        Assert.Null(state.LastModified);
        var second = harness.Server.LogEntries.Last(e => e.RequestMessage.Path == path).RequestMessage;
        Assert.False(second.Headers!.ContainsKey("If-None-Match"));
        Assert.False(second.Headers.ContainsKey("If-Modified-Since"));
    }

    [Fact]
    public async Task Poll_NoStoreAfterValidators_DropsTheOldOnes()
    {
        const string path = "/turns-no-store.rss";
        await harness.AddPartnerAsync("turns-no-store", path);
        harness.Serve(path, Response.Create().WithStatusCode(200).WithHeader("ETag", "\"v1\"").WithBody(PartnerHarness.SampleFeed));
        await harness.Poller.PollAsync("turns-no-store", CancellationToken.None);
        Assert.Equal("\"v1\"", (await harness.StatusAsync("turns-no-store")).State.ETag);
        harness.Serve(path, Response.Create().WithStatusCode(200).WithHeader("Cache-Control", "private, no-store").WithHeader("ETag", "\"v2\"").WithBody(PartnerHarness.SampleFeed));

        await harness.Poller.PollAsync("turns-no-store", CancellationToken.None);

        Assert.Null((await harness.StatusAsync("turns-no-store")).State.ETag);
    }

    public static TheoryData<string, int, string[], string, string> Challenges => new()
    {
        { "cloudflare-header", 403, ["cf-mitigated: challenge", "Server: cloudflare", "cf-ray: 8f2b3c4d5e6f7-AMS"], "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>", "Cloudflare" },
        { "cloudflare-body", 403, ["Server: cloudflare"], "<html><head><title>Just a moment...</title></head><body><script src=\"/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1\"></script></body></html>", "Cloudflare" },
        { "ddos-guard", 403, ["Server: ddos-guard"], "<!doctype html><html><head><title>DDoS-Guard</title></head><body>Checking your browser before accessing</body></html>", "DDoS-Guard" },
        { "sucuri", 403, ["Server: Sucuri/Cloudproxy", "X-Sucuri-ID: 16014"], "<html><head><title>Sucuri WebSite Firewall - Access Denied</title></head><body></body></html>", "Sucuri" },
        { "akamai", 403, ["Server: AkamaiGHost"], "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>Reference&#32;&#35;18&#46;6f2e1002</BODY></HTML>", "Akamai" },
        { "imperva", 403, ["X-Iinfo: 13-1234567-0 0NNN RT(1)"], "<html><body>Request unsuccessful. Incapsula incident ID: 1234-5678</body></html>", "Imperva" },
        { "aws-waf", 202, ["x-amzn-waf-action: challenge"], "<html><body>challenge</body></html>", "AWS WAF" },
        { "aws-waf-captcha", 405, ["x-amzn-waf-action: captcha"], "<html><body>captcha</body></html>", "AWS WAF" },
    };

    [Theory]
    [MemberData(nameof(Challenges))]
    public async Task Poll_BotChallengePage_IsAChallengeInHealthAndBacksOffAtLeastFourIntervals(string id, int status, string[] headers, string body, string vendor)
    {
        var path = $"/{id}.rss";
        await harness.AddPartnerAsync(id, path);
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/html; charset=UTF-8").WithBody(body);
        foreach (var header in headers)
        {
            var (name, value) = (header[..header.IndexOf(':', StringComparison.Ordinal)], header[(header.IndexOf(':', StringComparison.Ordinal) + 2)..]);
            response = response.WithHeader(name, value);
        }
        harness.Serve(path, response);
        var now = harness.App.Time.GetUtcNow();

        var result = await harness.Poller.PollAsync(id, CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        var state = (await harness.StatusAsync(id)).State;
        Assert.Equal(PollFailure.Challenge, state.LastErrorKind);
        Assert.Contains($"bot challenge ({vendor}, HTTP {status})", state.LastError, StringComparison.Ordinal);
        // Default interval 15 min; a plain first failure waits one interval, a challenge at least four.
        Assert.True(state.NextPoll >= now.AddMinutes(15 * PollInterpreter.ChallengeBackoff), $"next poll {state.NextPoll}");
        Assert.Equal(1, harness.RequestsTo(path));
    }

    [Fact]
    public async Task Poll_BotChallengeOnALongInterval_BackoffStaysWithinMaxPollDelay()
    {
        var partner = await harness.AddPartnerAsync("challenged-slowly", "/challenged-slowly.rss");
        await harness.Store.UpdateAsync(partner with { PollInterval = TimeSpan.FromHours(4) }, harness.App.Time.GetUtcNow(), CancellationToken.None);
        harness.Serve("/challenged-slowly.rss", Response.Create().WithStatusCode(403).WithHeader("cf-mitigated", "challenge").WithHeader("Content-Type", "text/html").WithBody("<html></html>"));
        var now = harness.App.Time.GetUtcNow();

        await harness.Poller.PollAsync("challenged-slowly", CancellationToken.None);

        Assert.Equal(now.AddHours(6), (await harness.StatusAsync("challenged-slowly")).State.NextPoll); // Partners:MaxPollDelay
    }

    [Theory]
    [InlineData(403, "Server: nginx", "<html><body><h1>403 Forbidden</h1></body></html>")]
    [InlineData(503, "Server: cloudflare", "<html><head><title>example.org | 503: Service unavailable</title></head><body>Cloudflare Ray ID: 8f2b</body></html>")]
    [InlineData(404, "Server: cloudflare", "<html><head><title>Just a moment...</title></head></html>")]
    public async Task Poll_OrdinaryErrorPage_IsAnHttpFailureNotAChallenge(int status, string header, string body)
    {
        var id = $"plain-{status}";
        await harness.AddPartnerAsync(id, $"/{id}.rss");
        harness.Serve($"/{id}.rss", Response.Create().WithStatusCode(status).WithHeader(header[..header.IndexOf(':', StringComparison.Ordinal)], header[(header.IndexOf(':', StringComparison.Ordinal) + 2)..])
            .WithHeader("Content-Type", "text/html").WithBody(body));

        await harness.Poller.PollAsync(id, CancellationToken.None);

        var state = (await harness.StatusAsync(id)).State;
        Assert.Equal(PollFailure.Http, state.LastErrorKind);
        Assert.StartsWith($"HTTP {status}", state.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_HtmlPageWith200_IsADocumentFailure()
    {
        await harness.AddPartnerAsync("html-page", "/html-page.rss");
        harness.Serve("/html-page.rss", Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<!doctype html><html><body>Hello</body></html>"));

        await harness.Poller.PollAsync("html-page", CancellationToken.None);

        Assert.Equal(PollFailure.Document, (await harness.StatusAsync("html-page")).State.LastErrorKind);
    }
}
