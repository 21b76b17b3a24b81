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

    [Fact]
    public void AClientPollingAgain_IsHeldOnce_AndHeldAgainAfterEachFlush()
    {
        var counter = new ReaderCounter(new ReaderAgents(), new FakeTimeProvider(NewsFeedApp.Now), Options.Create(new ReadersOptions { MaxClientsPerFeed = 10 }));

        // Polls of two feeds in turn, and of one feed by two clients in turn: each pair is held, each once.
        for (var i = 0; i < 3; i++)
        {
            counter.Record("latest", Request("203.0.113.1", NetNewsWire), notModified: true, 0);
            counter.Record("sections/world", Request("203.0.113.1", NetNewsWire), notModified: true, 0);
            counter.Record("latest", Request("203.0.113.2", NetNewsWire), notModified: true, 0);
        }
        var latest = Assert.Single(counter.Tallies(), tally => tally.Feed == "latest");
        var world = Assert.Single(counter.Tallies(), tally => tally.Feed == "sections/world");
        Assert.Equal(["203.0.113.1", "203.0.113.2"], latest.Clients.Keys.Select(key => key.Address!.ToString()).Order());
        Assert.Single(world.Clients);
        Assert.Equal((6L, 6L, 0L), latest.TakeCounts());

        // The very client the thread recorded last, again after a flush took it: held again.
        counter.Record("latest", Request("203.0.113.2", NetNewsWire), notModified: true, 0);
        Assert.Equal(2, latest.TakeClients().Count);
        counter.Record("latest", Request("203.0.113.2", NetNewsWire), notModified: true, 0);
        Assert.Single(latest.Clients);
    }

    [Fact]
    public void AClientOnANewDay_IsHeldInThatDaysTally()
    {
        var time = new FakeTimeProvider(NewsFeedApp.Now);
        var counter = new ReaderCounter(new ReaderAgents(), time, Options.Create(new ReadersOptions()));
        counter.Record("latest", Request("203.0.113.1", NetNewsWire), notModified: true, 0);
        time.Advance(TimeSpan.FromDays(1));
        counter.Record("latest", Request("203.0.113.1", NetNewsWire), notModified: true, 0);

        var days = counter.Tallies().OrderBy(tally => tally.Day).ToList();
        Assert.Equal(2, days.Count);
        Assert.Equal(days[0].Day + 1, days[1].Day);
        Assert.All(days, tally => Assert.Single(tally.Clients));
    }

    private static DefaultHttpContext Request(string address, string userAgent)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Headers.UserAgent = userAgent;
        return context;
    }
}
