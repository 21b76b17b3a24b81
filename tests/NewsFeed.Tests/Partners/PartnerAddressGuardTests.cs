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

    [Theory]
    [InlineData("10.1.2.0/24", "10.1.2.0/24")]
    [InlineData(" 10.1.2.3/32:8080 ", "10.1.2.3/32:8080")]
    [InlineData("10.1.2.3:8080", "10.1.2.3/32:8080")]
    [InlineData("10.1.2.3", "10.1.2.3/32")]
    [InlineData("fd00::/8", "fd00::/8")]
    [InlineData("[fd00::/8]:443", "[fd00::/8]:443")]
    [InlineData("[fd00::1]:443", "[fd00::1/128]:443")]
    public void AllowedNetwork_TryParse_ReadsRangesAndPorts(string text, string read)
    {
        Assert.True(AllowedNetwork.TryParse(text, out var network, out var error), error);
        Assert.Equal(read, network.ToString());
    }

    [Theory]
    [InlineData("10.1.2.3/24", "did you mean 10.1.2.0/24, or 10.1.2.3 alone?")]
    [InlineData("10.1.2.0/24:0", "port '0'")]
    [InlineData("10.1.2.0/24:http", "port 'http'")]
    [InlineData("[fd00::/8]443", "not a :port")]
    [InlineData("[fd00::/8:443", "closing bracket")]
    [InlineData("0.0.0.0/0", "Partners:AllowPrivateAddresses")]
    [InlineData("intranet.example", "CIDR range")]
    [InlineData("", "CIDR range")]
    public void AllowedNetwork_TryParse_SaysWhatIsWrong(string text, string said)
    {
        Assert.False(AllowedNetwork.TryParse(text, out _, out var error));
        Assert.Contains(said, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.1.2.3", 8080, true)]
    [InlineData("::ffff:10.1.2.3", 8080, true)]
    [InlineData("10.1.2.3", 80, false)]
    [InlineData("10.1.2.4", 8080, false)]
    [InlineData("10.9.9.9", 443, true)]
    [InlineData("10.9.10.1", 443, false)]
    [InlineData("127.0.0.1", 8080, false)]
    [InlineData("192.168.1.1", 443, false)]
    [InlineData("169.254.169.254", 80, false)]
    [InlineData("fd00::5", 443, true)]
    [InlineData("fd00::5", 80, false)]
    [InlineData("93.184.215.14", 80, true)]
    public void Allows_AllowedNetworks_OpenOnlyTheirRangesAndPorts(string address, int port, bool allowed)
    {
        var options = new PartnerOptions { AllowedNetworks = ["10.1.2.3/32:8080", "10.9.9.0/24", "[fd00::/8]:443"] };

        Assert.Equal(allowed, PartnerAddressGuard.Allows(options, IPAddress.Parse(address), port));
    }

    [Theory]
    [InlineData("http://10.1.2.3:8080/wire.xml", true)]
    [InlineData("http://10.1.2.3/wire.xml", false)]
    [InlineData("http://10.1.2.4:8080/wire.xml", false)]
    [InlineData("http://127.0.0.1:8080/wire.xml", false)]
    public void CheckUrl_AllowedNetwork_AcceptsOnlyThatAddressAndPort(string url, bool accepted)
    {
        var options = new PartnerOptions { AllowedNetworks = ["10.1.2.3/32:8080"] };

        Assert.Equal(accepted, PartnerRules.CheckUrl(url, options) is null);
    }

    [Fact]
    public async Task Guard_AllowedNetwork_ReachesItAndStillRefusesOtherPrivateAddressesAndPorts()
    {
        // The "wire service": a server on 127.0.0.1 whose one port is allowed; loopback is otherwise refused.
        using var wire = WireMock.Server.WireMockServer.Start();
        var port = new Uri(wire.Url!).Port;
        wire.Given(WireMock.RequestBuilders.Request.Create().WithPath("/wire.rss").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody(PartnerHarness.SampleFeed));
        wire.Given(WireMock.RequestBuilders.Request.Create().WithPath("/hop.rss").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(302).WithHeader("Location", $"http://127.0.0.2:{port}/wire.rss"));
        using var harness = PartnerHarness.With(new()
        {
            ["Partners:AllowPrivateAddresses"] = "false",
            ["Partners:AllowedNetworks:0"] = $"127.0.0.1/32:{port}",
        });
        harness.ServeFeed("/other-port.rss", PartnerHarness.SampleFeed);
        var now = harness.App.Time.GetUtcNow();
        await harness.Store.AddAsync(new Partner { Id = "wire", Name = "Wire", Url = $"http://127.0.0.1:{port}/wire.rss" }, now, CancellationToken.None);
        await harness.Store.AddAsync(new Partner { Id = "hop", Name = "Hop", Url = $"http://127.0.0.1:{port}/hop.rss" }, now, CancellationToken.None);
        await harness.Store.AddAsync(new Partner { Id = "other-port", Name = "Other port", Url = harness.UrlOf("/other-port.rss").Replace("localhost", "127.0.0.1", StringComparison.Ordinal) }, now, CancellationToken.None);

        var reached = await harness.Poller.PollAsync("wire", CancellationToken.None);
        var hop = await harness.Poller.PollAsync("hop", CancellationToken.None);
        var otherPort = await harness.Poller.PollAsync("other-port", CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, reached.Outcome);
        Assert.Equal(PollOutcome.Failed, hop.Outcome);
        Assert.Contains(PartnerAddressGuard.RefusedMessage + ": '127.0.0.2'", hop.Error, StringComparison.Ordinal);
        Assert.Equal(PollOutcome.Failed, otherPort.Outcome);
        Assert.Contains(PartnerAddressGuard.RefusedMessage, otherPort.Error, StringComparison.Ordinal);
        Assert.Equal(0, harness.RequestsTo("/other-port.rss"));
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
