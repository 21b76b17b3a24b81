using Npgsql;
using NewsFeed.Storage;

namespace NewsFeed.Readers;

/// <summary>Reader counts in the shared PostgreSQL store, where every instance flushes into the same rows.</summary>
internal sealed class PostgresReaderStore(PostgresDatabase database) : IReaderStore
{
    public async Task<byte[]> DayKeyAsync(int day, byte[] candidate, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Insert if absent, then read whichever key won: two instances starting the day together agree.
        await PostgresDatabase.ExecuteAsync(connection, null, "INSERT INTO reader_keys (day, key) VALUES (@day, @key) ON CONFLICT (day) DO NOTHING;",
            [("day", day), ("key", candidate)], cancellationToken);
        return (byte[])(await PostgresDatabase.ScalarAsync(connection, null, "SELECT key FROM reader_keys WHERE day = @day;", [("day", day)], cancellationToken))!;
    }

    public async Task SaveAsync(ReaderBatch batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One round trip for the whole flush.
        await using var commands = new NpgsqlBatch(connection, transaction);
        foreach (var days in batch.Days)
        {
            commands.BatchCommands.Add(Command(ReaderSql.AddDay, ("feed", days.Feed), ("day", days.Day), ("requests", days.Requests), ("not_modified", days.NotModified), ("bytes", days.Bytes)));
        }
        foreach (var report in batch.Reports)
        {
            commands.BatchCommands.Add(Command(ReaderSql.KeepLatestReport, ("feed", report.Feed), ("day", report.Day), ("kind", CountKind.Aggregator),
                ("reader", report.Reader), ("feed_id", report.FeedId), ("count", (long)report.Subscribers), ("at", report.At)));
        }
        foreach (var client in batch.Clients)
        {
            commands.BatchCommands.Add(Command(ReaderSql.AddClient, ("feed", client.Feed), ("day", client.Day), ("hash", client.Hash), ("reader", client.Reader)));
        }
        if (commands.BatchCommands.Count > 0) await commands.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CloseDaysAsync(int lastDay, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // The rows counted are the rows this statement deleted: an instance closing the same day at the same time
        // waits on their locks and then finds them gone, so no client is counted twice.
        await PostgresDatabase.ExecuteAsync(connection, null, """
            WITH gone AS (DELETE FROM reader_clients WHERE day <= @day RETURNING feed, day, reader)
            INSERT INTO reader_counts (feed, day, kind, reader, feed_id, count, reported_at)
            SELECT feed, day, @kind, reader, '', COUNT(*), 0 FROM gone GROUP BY feed, day, reader
            ON CONFLICT (feed, day, kind, reader, feed_id) DO UPDATE SET count = reader_counts.count + excluded.count;
            DELETE FROM reader_keys WHERE day <= @day;
            """, [("day", lastDay), ("kind", CountKind.Direct)], cancellationToken);
    }

    public async Task<ReaderRows> ReadAsync(int fromDay, int toDay, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var days = new List<DayCounts>();
        await using (var command = PostgresDatabase.Command(connection, null, ReaderSql.ReadDays, [("from", fromDay), ("to", toDay)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                days.Add(new DayCounts(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }
        var counts = new List<CountRow>();
        await using (var command = PostgresDatabase.Command(connection, null, ReaderSql.ReadCounts, [("from", fromDay), ("to", toDay), ("direct", CountKind.Direct)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                counts.Add(new CountRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
            }
        }
        return new ReaderRows(days, counts);
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
