using Microsoft.Data.Sqlite;
using NewsFeed.Storage;

namespace NewsFeed.Readers;

/// <summary>Reader counts in the embedded store's file. Bookkeeping writes (<see cref="SqliteFile.BookkeepingAsync"/>): losing the last flush to a power cut loses seconds of counts, never a publish.</summary>
internal sealed class SqliteReaderStore(SqliteFile file) : IReaderStore
{
    public Task<byte[]> DayKeyAsync(int day, byte[] candidate, CancellationToken cancellationToken) =>
        file.BookkeepingAsync(async connection =>
        {
            await SqliteFile.ExecuteAsync(connection, null, "INSERT INTO reader_keys (day, key) VALUES ($day, $key) ON CONFLICT (day) DO NOTHING;",
                [("$day", day), ("$key", candidate)], cancellationToken);
            return (byte[])(await SqliteFile.ScalarAsync(connection, null, "SELECT key FROM reader_keys WHERE day = $day;", [("$day", day)], cancellationToken))!;
        }, cancellationToken);

    public Task SaveAsync(ReaderBatch batch, CancellationToken cancellationToken) =>
        file.BookkeepingAsync(async connection =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            foreach (var days in batch.Days)
            {
                await SqliteFile.ExecuteAsync(connection, transaction, ReaderSql.AddDay,
                    [("@feed", days.Feed), ("@day", days.Day), ("@requests", days.Requests), ("@not_modified", days.NotModified), ("@bytes", days.Bytes)], cancellationToken);
            }
            foreach (var report in batch.Reports)
            {
                await SqliteFile.ExecuteAsync(connection, transaction, ReaderSql.KeepLatestReport,
                    [("@feed", report.Feed), ("@day", report.Day), ("@kind", CountKind.Aggregator), ("@reader", report.Reader), ("@feed_id", report.FeedId),
                     ("@count", report.Subscribers), ("@at", report.At)], cancellationToken);
            }
            foreach (var client in batch.Clients)
            {
                await SqliteFile.ExecuteAsync(connection, transaction, ReaderSql.AddClient,
                    [("@feed", client.Feed), ("@day", client.Day), ("@hash", client.Hash), ("@reader", client.Reader)], cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public Task CloseDaysAsync(int lastDay, CancellationToken cancellationToken) =>
        file.BookkeepingAsync(async connection =>
        {
            // One writer per file, in one transaction: the hashes counted are the hashes deleted.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await SqliteFile.ExecuteAsync(connection, transaction, """
                INSERT INTO reader_counts (feed, day, kind, reader, feed_id, count, reported_at)
                SELECT feed, day, @kind, reader, '', COUNT(*), 0 FROM reader_clients WHERE day <= @day GROUP BY feed, day, reader
                ON CONFLICT (feed, day, kind, reader, feed_id) DO UPDATE SET count = count + excluded.count;
                """, [("@kind", CountKind.Direct), ("@day", lastDay)], cancellationToken);
            await SqliteFile.ExecuteAsync(connection, transaction, "DELETE FROM reader_clients WHERE day <= @day;", [("@day", lastDay)], cancellationToken);
            await SqliteFile.ExecuteAsync(connection, transaction, "DELETE FROM reader_keys WHERE day <= @day;", [("@day", lastDay)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public async Task<ReaderRows> ReadAsync(int fromDay, int toDay, CancellationToken cancellationToken)
    {
        await using var connection = await file.OpenAsync(cancellationToken);
        var days = new List<DayCounts>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = ReaderSql.ReadDays;
            command.Parameters.AddWithValue("@from", fromDay);
            command.Parameters.AddWithValue("@to", toDay);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                days.Add(new DayCounts(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }
        var counts = new List<CountRow>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = ReaderSql.ReadCounts;
            command.Parameters.AddWithValue("@from", fromDay);
            command.Parameters.AddWithValue("@to", toDay);
            command.Parameters.AddWithValue("@direct", CountKind.Direct);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts.Add(new CountRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
            }
        }
        return new ReaderRows(days, counts);
    }
}
