namespace NewsFeed.Readers;

/// <summary>
/// Where reader counts live, on either engine (tables <c>reader_days</c>, <c>reader_counts</c>,
/// <c>reader_clients</c>, <c>reader_keys</c> in Storage's schema). Every write adds up or keeps the latest, so
/// several instances flushing into one database count each thing once.
/// </summary>
internal interface IReaderStore
{
    /// <summary>
    /// The day's hashing key: the one stored for <paramref name="day"/>, or <paramref name="candidate"/> stored now
    /// when there is none yet (insert if absent), so every instance hashes with the same key that day.
    /// </summary>
    Task<byte[]> DayKeyAsync(int day, byte[] candidate, CancellationToken cancellationToken);

    /// <summary>
    /// One flush, in one transaction: requests, 304s and bytes added to the day's; each aggregator report kept when
    /// it is later than the stored one of its (feed, day, aggregator, feed-id); client hashes inserted when new.
    /// </summary>
    Task SaveAsync(ReaderBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Closes every day up to <paramref name="lastDay"/>: its client hashes become one count per feed and reader
    /// (<c>reader_counts</c>, kind direct) and are deleted, with the day's key. Safe from several instances at once.
    /// </summary>
    Task CloseDaysAsync(int lastDay, CancellationToken cancellationToken);

    /// <summary>Everything stored for days <paramref name="fromDay"/> to <paramref name="toDay"/>, open days' clients counted.</summary>
    Task<ReaderRows> ReadAsync(int fromDay, int toDay, CancellationToken cancellationToken);
}

internal sealed record ReaderBatch(
    IReadOnlyList<DayCounts> Days,
    IReadOnlyList<ReportRow> Reports,
    IReadOnlyList<ClientRow> Clients)
{
    public bool IsEmpty => Days.Count == 0 && Reports.Count == 0 && Clients.Count == 0;
}

internal sealed record DayCounts(string Feed, int Day, long Requests, long NotModified, long Bytes);

/// <param name="At">Unix milliseconds of the report.</param>
internal sealed record ReportRow(string Feed, int Day, string Reader, string FeedId, int Subscribers, long At);

/// <param name="Hash">HMAC-SHA256 of the client under the day's key, hex.</param>
internal sealed record ClientRow(string Feed, int Day, string Reader, string Hash);

/// <summary>What kind of count a <c>reader_counts</c> row holds.</summary>
internal static class CountKind
{
    /// <summary>The subscribers an aggregator reported for one of its feed-ids.</summary>
    public const int Aggregator = 1;

    /// <summary>Distinct direct clients of a closed day.</summary>
    public const int Direct = 2;
}

/// <param name="Kind">A <see cref="CountKind"/>.</param>
internal sealed record CountRow(string Feed, int Day, int Kind, string Reader, string FeedId, long Count);

internal sealed record ReaderRows(IReadOnlyList<DayCounts> Days, IReadOnlyList<CountRow> Counts);
