namespace NewsFeed.Readers;

/// <summary>The statements both engines run alike (parameters named <c>@name</c>; both read that spelling).</summary>
internal static class ReaderSql
{
    public const string AddDay = """
        INSERT INTO reader_days (feed, day, requests, not_modified, bytes) VALUES (@feed, @day, @requests, @not_modified, @bytes)
        ON CONFLICT (feed, day) DO UPDATE SET requests = reader_days.requests + excluded.requests,
            not_modified = reader_days.not_modified + excluded.not_modified, bytes = reader_days.bytes + excluded.bytes;
        """;

    /// <summary>The latest report of the day wins, whichever instance saw it: two instances polled by one aggregator count it once.</summary>
    public const string KeepLatestReport = """
        INSERT INTO reader_counts (feed, day, kind, reader, feed_id, count, reported_at) VALUES (@feed, @day, @kind, @reader, @feed_id, @count, @at)
        ON CONFLICT (feed, day, kind, reader, feed_id) DO UPDATE SET count = excluded.count, reported_at = excluded.reported_at
        WHERE excluded.reported_at >= reader_counts.reported_at;
        """;

    public const string AddClient = """
        INSERT INTO reader_clients (feed, day, hash, reader) VALUES (@feed, @day, @hash, @reader) ON CONFLICT (feed, day, hash) DO NOTHING;
        """;

    public const string ReadDays = """
        SELECT feed, day, requests, not_modified, bytes FROM reader_days WHERE day BETWEEN @from AND @to ORDER BY feed, day;
        """;

    /// <summary>Stored counts, and the open days' clients counted as direct readers.</summary>
    public const string ReadCounts = """
        SELECT feed, day, kind, reader, feed_id, count FROM reader_counts WHERE day BETWEEN @from AND @to
        UNION ALL
        SELECT feed, day, @direct, reader, '', COUNT(*) FROM reader_clients WHERE day BETWEEN @from AND @to GROUP BY feed, day, reader;
        """;
}
