using NewsFeed.Partners;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// Redirect chains: the stored URL moves only when every hop from it to the final URL was permanent
/// (301/308, RFC 9110 §15.4.2 and §15.4.9) and the poll succeeded there.
/// </summary>
public sealed class PartnerRedirectTests(PartnerHarness harness) : IClassFixture<PartnerHarness>
{
    [Theory]
    [InlineData(301, 302)]
    [InlineData(301, 307)]
    [InlineData(308, 302)]
    [InlineData(302, 301)]
    [InlineData(307, 308)]
    public async Task Poll_ChainWithATemporaryHop_KeepsStoredUrl(int first, int second)
    {
        var id = $"chain-{first}-{second}";
        var partner = await harness.AddPartnerAsync(id, $"/{id}.rss");
        harness.Serve($"/{id}.rss", Response.Create().WithStatusCode(first).WithHeader("Location", $"/{id}-hop.rss"));
        harness.Serve($"/{id}-hop.rss", Response.Create().WithStatusCode(second).WithHeader("Location", $"/{id}-final.rss"));
        harness.ServeFeed($"/{id}-final.rss", PartnerHarness.SampleFeed);

        var result = await harness.Poller.PollAsync(id, CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        Assert.Equal(partner.Url, (await harness.StatusAsync(id)).Partner.Url);
    }

    [Theory]
    [InlineData(301, 301)]
    [InlineData(301, 308)]
    [InlineData(308, 301)]
    public async Task Poll_ChainOfPermanentHops_MovesStoredUrlToTheFinalOne(int first, int second)
    {
        var id = $"permanent-{first}-{second}";
        await harness.AddPartnerAsync(id, $"/{id}.rss");
        harness.Serve($"/{id}.rss", Response.Create().WithStatusCode(first).WithHeader("Location", $"/{id}-hop.rss"));
        harness.Serve($"/{id}-hop.rss", Response.Create().WithStatusCode(second).WithHeader("Location", $"/{id}-final.rss"));
        harness.ServeFeed($"/{id}-final.rss", PartnerHarness.SampleFeed);

        var result = await harness.Poller.PollAsync(id, CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        Assert.Equal(harness.UrlOf($"/{id}-final.rss"), (await harness.StatusAsync(id)).Partner.Url);
    }
}
