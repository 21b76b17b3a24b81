using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NewsFeed.Readers;

namespace NewsFeed.Tests.Readers;

/// <summary>The hot-path counter alone: clients held only until a flush takes them, and a bound on them between flushes.</summary>
public sealed class ReaderCounterTests
{
    private const string NetNewsWire = "NetNewsWire (RSS Reader; https://netnewswire.com/)";

    [Fact]
    public void Clients_AreHeldUntilTaken_AndBoundedBetweenFlushes()
    {
        var time = new FakeTimeProvider(NewsFeedApp.Now);
        var counter = new ReaderCounter(new ReaderAgents(), time, Options.Create(new ReadersOptions { MaxClientsPerFeed = 2 }));

        foreach (var address in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.2", "203.0.113.3" })
        {
            counter.Record("latest", Request(address, NetNewsWire), notModified: false, 100);
        }
        var tally = Assert.Single(counter.Tallies());

        Assert.Equal(2, tally.TakeClients().Count);
        Assert.Equal(1, tally.ClientsDropped);
        Assert.Empty(tally.Clients);
        Assert.Equal((4L, 0L, 400L), tally.TakeCounts());
        // After a flush took them, a client seen again is held again (the store keeps its hash once).
        counter.Record("latest", Request("203.0.113.1", NetNewsWire), notModified: true, 0);
        Assert.Single(tally.Clients);
        Assert.Equal((1L, 1L, 0L), tally.TakeCounts());
    }

    private static DefaultHttpContext Request(string address, string userAgent)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Headers.UserAgent = userAgent;
        return context;
    }
}
