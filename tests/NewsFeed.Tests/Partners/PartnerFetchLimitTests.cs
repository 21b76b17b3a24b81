using System.Diagnostics;
using System.IO.Compression;
using NewsFeed.Partners;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PartnerMemoryGroup
{
    /// <summary>Runs alone, so the process's allocation counter measures these polls only.</summary>
    public const string Name = "partner-memory";
}

/// <summary>
/// Partners that hold a connection open or send too much: our deadline covers the body, the size cap holds
/// for decoded bytes, and one slow partner does not hold up the others. Raw loopback sockets where
/// WireMock cannot misbehave enough. Partners:TotalTimeout is 3 s and Partners:MaxResponseBytes 1 MiB here.
/// </summary>
[Collection(PartnerMemoryGroup.Name)]
public sealed class PartnerFetchLimitTests(DeadlinePartnerHarness deadlines) : IClassFixture<DeadlinePartnerHarness>
{
    private readonly PartnerHarness harness = deadlines.Harness;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Poll_HeadersThenStall_EndsAtTheDeadline()
    {
        await using var server = new RawHttpServer(async (stream, stop) =>
        {
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n<?xml version=\"1.0\"?>"), stop);
            await Task.Delay(Timeout.Infinite, stop);
        });
        await AddRawPartnerAsync("stall", server);

        var watch = Stopwatch.StartNew();
        var result = await harness.Poller.PollAsync("stall", CancellationToken.None);

        AssertEndedAtDeadline(watch.Elapsed);
        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains("Timed out", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Poll_SlowDrip_EndsAtTheDeadline()
    {
        await using var server = new RawHttpServer(async (stream, stop) =>
        {
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n"), stop);
            while (true)
            {
                // One byte of body every 200 ms: each read makes progress, so only a deadline on the whole body ends it.
                await stream.WriteAsync(RawHttpServer.Ascii("1\r\n \r\n"), stop);
                await Task.Delay(200, stop);
            }
        });
        await AddRawPartnerAsync("drip", server);

        var watch = Stopwatch.StartNew();
        var result = await harness.Poller.PollAsync("drip", CancellationToken.None);

        AssertEndedAtDeadline(watch.Elapsed);
        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains("Timed out", (await harness.StatusAsync("drip")).State.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollDue_OneStallingPartner_DoesNotDelayTheOthers()
    {
        await using var server = new RawHttpServer(async (stream, stop) =>
        {
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"), stop);
            await Task.Delay(Timeout.Infinite, stop);
        });
        await AddRawPartnerAsync("laggard", server);
        await harness.AddPartnerAsync("sprinter", "/sprinter.rss");
        harness.ServeFeed("/sprinter.rss", PartnerHarness.Fixture("harbor-gazette.rss"));

        var watch = Stopwatch.StartNew();
        var all = harness.Poller.PollDueAsync(CancellationToken.None);
        while ((await harness.StatusAsync("sprinter")).State.LastSuccess is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the fast partner was held up by the slow one");
            await Task.Delay(20);
        }
        // The proof is the order, not a time: the fast partner finished while the slow one still stalls.
        Assert.False(all.IsCompleted, "the slow partner is still stalling");
        await all;

        Assert.Equal(3, (await harness.StatusAsync("sprinter")).ItemCount);
        Assert.Equal(1, (await harness.StatusAsync("laggard")).State.ConsecutiveFailures);
    }

    [Fact]
    public async Task Poll_50MegabyteBody_StopsAtTheCapWithMemoryBounded()
    {
        const long fifty = 50L * 1024 * 1024;
        long written = 0;
        await using var server = new RawHttpServer(async (stream, stop) =>
        {
            // No Content-Length: the cap must hold while reading, not only when a length is announced.
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n"), stop);
            var chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)'x');
            for (long sent = 0; sent < fifty; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk, stop);
                Interlocked.Add(ref written, chunk.Length);
            }
        });
        await AddRawPartnerAsync("firehose", server);

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var result = await harness.Poller.PollAsync("firehose", CancellationToken.None);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains("cap", result.Error, StringComparison.Ordinal);
        Assert.True(allocated < 16L * 1024 * 1024, $"allocated {allocated:N0} bytes for a 1 MiB cap");
        await Task.Delay(200);
        Assert.True(Interlocked.Read(ref written) < 20L * 1024 * 1024, $"the partner got to send {Interlocked.Read(ref written):N0} bytes");
    }

    [Fact]
    public async Task Poll_AnnouncedHugeContentLength_RefusedBeforeReading()
    {
        await harness.AddPartnerAsync("announced", "/announced.rss");
        harness.Serve("/announced.rss", Response.Create().WithStatusCode(200).WithBody(new byte[2 * 1024 * 1024]));

        var result = await harness.Poller.PollAsync("announced", CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains("cap", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_GzipBomb_StopsAtTheDecodedCapWithMemoryBounded()
    {
        // 200 MB of zeros gzip to about 200 KB: small on the wire, huge once decoded.
        var bomb = GzipOfZeros(200L * 1024 * 1024);
        Assert.True(bomb.Length < 512 * 1024);
        await harness.AddPartnerAsync("bomb", "/bomb.rss");
        harness.Serve("/bomb.rss", Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/rss+xml").WithHeader("Content-Encoding", "gzip").WithBody(bomb));

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = await harness.Poller.PollAsync("bomb", CancellationToken.None);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Contains("cap", result.Error, StringComparison.Ordinal);
        Assert.True(allocated < 16L * 1024 * 1024, $"allocated {allocated:N0} bytes for a 1 MiB cap");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Poll_GzipFeed_IsDecodedAndStored()
    {
        await harness.AddPartnerAsync("zipped", "/zipped.rss");
        harness.Serve("/zipped.rss", Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/rss+xml").WithHeader("Content-Encoding", "gzip")
            .WithBody(Gzip(PartnerHarness.Utf8(PartnerHarness.Fixture("harbor-gazette.rss")))));

        var result = await harness.Poller.PollAsync("zipped", CancellationToken.None);

        Assert.Equal(PollOutcome.Updated, result.Outcome);
        Assert.Equal(3, (await harness.StatusAsync("zipped")).ItemCount);
    }

    private async Task AddRawPartnerAsync(string id, RawHttpServer server) =>
        Assert.True(await harness.Store.AddAsync(new Partner { Id = id, Name = id, Url = server.Url + "/feed.rss" }, harness.App.Time.GetUtcNow(), CancellationToken.None));

    private static void AssertEndedAtDeadline(TimeSpan elapsed) =>
        Assert.True(elapsed >= Deadline - TimeSpan.FromMilliseconds(200) && elapsed < Deadline + TimeSpan.FromSeconds(10), $"ended after {elapsed}");

    private static byte[] GzipOfZeros(long length)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < length; written += zeros.Length) gzip.Write(zeros);
        }
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }
}
