using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace NewsFeed.Readers;

/// <summary>
/// Takes what <see cref="ReaderCounter"/> counted to the store: every <see cref="ReadersOptions.FlushInterval"/>
/// and once more at shutdown. Each new client leaves memory only as HMAC-SHA256(day key, address + User-Agent),
/// the day key being one random key per UTC day shared by every instance through the store and deleted when the
/// day closes (<see cref="FlushAsync"/> also closes the days whose <see cref="ReadersOptions.CloseAfter"/> is past).
/// The loop only ticks; <see cref="FlushAsync"/> is the unit of work tests call.
/// </summary>
internal sealed partial class ReaderFlusher(ReaderCounter counter, IReaderStore store, TimeProvider time, IOptions<ReadersOptions> options, ReaderMetrics metrics,
    ILogger<ReaderFlusher> logger)
    : BackgroundService
{
    private readonly Dictionary<int, byte[]> _keys = [];
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private int _closedUpTo = int.MinValue;

    /// <summary>Sends everything counted since the last flush, then closes the days that are over.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            // The last day that may be closed: its end plus the grace for other instances' last flushes has passed.
            var closable = ReaderCounter.DayOf(now - options.Value.CloseAfter) - 1;
            var days = new List<DayCounts>();
            var reports = new List<ReportRow>();
            var clients = new List<(ReaderTally Tally, ClientKey Key, string Reader)>();
            foreach (var tally in counter.Tallies())
            {
                var (requests, notModified, bytes) = tally.TakeCounts();
                if (requests > 0) days.Add(new DayCounts(tally.Feed, tally.Day, requests, notModified, bytes));
                foreach (var ((reader, feedId), report) in tally.Reports)
                {
                    var (subscribers, at) = report.Read();
                    if (at == report.FlushedAt) continue;
                    reports.Add(new ReportRow(tally.Feed, tally.Day, reader, feedId, subscribers, at));
                    report.FlushedAt = at;
                }
                // A closed day's key is gone: a client seen too late for it is not counted rather than counted twice.
                if (tally.Day > closable)
                {
                    clients.AddRange(tally.TakeClients().Select(client => (tally, client.Key, client.Reader)));
                }
            }
            var hashed = new List<ClientRow>(clients.Count);
            foreach (var (tally, key, reader) in clients)
            {
                hashed.Add(new ClientRow(tally.Feed, tally.Day, reader, Hash(await KeyOfAsync(tally.Day, cancellationToken), key)));
            }
            var batch = new ReaderBatch(days, reports, hashed);
            if (!batch.IsEmpty)
            {
                await store.SaveAsync(batch, cancellationToken);
                metrics.Flushed(batch);
            }
            if (closable > _closedUpTo)
            {
                await store.CloseDaysAsync(closable, cancellationToken);
                _closedUpTo = closable;
                foreach (var day in _keys.Keys.Where(day => day <= closable).ToList()) _keys.Remove(day);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The counts since the last tick: a shutdown loses none, unless the store keeps it waiting past the host's
        // shutdown timeout; then they are lost (logged), and the shutdown goes on.
        await FlushQuietlyAsync(cancellationToken, atShutdown: true);
    }

    private async Task FlushQuietlyAsync(CancellationToken cancellationToken, bool atShutdown = false)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception error) when (atShutdown || error is not OperationCanceledException)
        {
            // Counts stay in memory (requests are taken as deltas: those of this flush are lost, clients and reports go next time).
            metrics.FlushFailed();
            LogFlushFailed(logger, error);
        }
    }

    private async Task<byte[]> KeyOfAsync(int day, CancellationToken cancellationToken)
    {
        if (!_keys.TryGetValue(day, out var key))
        {
            key = await store.DayKeyAsync(day, RandomNumberGenerator.GetBytes(32), cancellationToken);
            _keys[day] = key;
        }
        return key;
    }

    /// <summary>HMAC-SHA256 of the client's address and User-Agent under the day's key, as hex.</summary>
    internal static string Hash(byte[] key, ClientKey client)
    {
        var text = (client.Address?.ToString() ?? "-") + "\n" + client.UserAgent;
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reader counts could not be flushed to the store")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }
}
