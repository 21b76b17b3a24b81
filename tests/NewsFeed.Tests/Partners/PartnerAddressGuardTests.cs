using System.Net;
using System.Net.Http.Json;
using NewsFeed.Partners;

namespace NewsFeed.Tests.Partners;

/// <summary>The SSRF guard: non-public addresses are refused at configuration and on every connection, unless allowed.</summary>
public sealed class PartnerAddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::1")]
    public void IsPublic_NonPublicAddress_False(string address) =>
        Assert.False(PartnerAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void IsPublic_PublicAddress_True(string address) =>
        Assert.True(PartnerAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/feed.rss")]
    [InlineData("http://[::ffff:10.0.0.1]/feed.rss")]
    [InlineData("http://10.0.0.8:8080/feed.rss")]
    [InlineData("http://2130706433/feed.rss")]
    public void CheckUrl_GuardOn_LiteralNonPublicAddress_Refused(string url)
    {
        Assert.NotNull(PartnerRules.CheckUrl(url, new PartnerOptions { AllowPrivateAddresses = false }));
        Assert.Null(PartnerRules.CheckUrl(url, new PartnerOptions { AllowPrivateAddresses = true }));
    }

    [Fact]
    public async Task Guard_On_RefusesLoopbackPartnerAtConfigurationAndConnection()
    {
        using var harness = PartnerHarness.With(new() { ["Partners:AllowPrivateAddresses"] = "false" });
        harness.ServeFeed("/private.rss", PartnerHarness.Fixture("harbor-gazette.rss"));
        using var admin = harness.AdminClient();

        // A literal private address is refused when configured...
        var port = new Uri(harness.Server.Url!).Port;
        using var literal = await admin.PostAsJsonAsync("/api/partners", new { id = "literal", name = "Literal", url = $"http://127.0.0.1:{port}/private.rss" });
        Assert.Equal(HttpStatusCode.BadRequest, literal.StatusCode);
        Assert.Contains("url", await literal.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // ...and a name that resolves to one is refused on connection, before any byte is sent.
        var byName = $"http://localhost:{port}/private.rss";
        using var named = await admin.PostAsJsonAsync("/api/partners", new { id = "by-name", name = "By name", url = byName });
        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        var result = await harness.Poller.PollAsync("by-name", CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains(PartnerAddressGuard.RefusedMessage, result.Error, StringComparison.Ordinal);
        Assert.Equal(0, harness.RequestsTo("/private.rss"));
    }

    [Fact]
    public async Task Fetch_RedirectToRefusedAddress_CheckedOnThatHop()
    {
        // Loopback answers on all of 127/8: allow 127.0.0.1 only, and let the partner redirect to 127.0.0.2.
        using var server = WireMock.Server.WireMockServer.Start();
        var port = new Uri(server.Url!).Port;
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/hop.rss").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(301).WithHeader("Location", $"http://127.0.0.2:{port}/internal"));
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = (context, cancellationToken) => PartnerAddressGuard.ConnectAsync(context, address => address.Equals(IPAddress.Loopback), cancellationToken),
        };
        using var client = new HttpClient(handler);
        var fetcher = new PartnerFetcher(client, Microsoft.Extensions.Options.Options.Create(new PartnerOptions()), Microsoft.Extensions.Options.Options.Create(new NewsFeed.Site.SiteOptions()));

        var result = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/hop.rss"), null, null, CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains(PartnerAddressGuard.RefusedMessage, result.Error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.2", result.Error, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }
}
