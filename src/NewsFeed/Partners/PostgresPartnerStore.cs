using System.Runtime.CompilerServices;
using System.Text.Json;
using NewsFeed.Articles;
using Npgsql;
using NewsFeed.Storage;
using static NewsFeed.Storage.PostgresDatabase;

namespace NewsFeed.Partners;

/// <summary>
/// The partner store on a PostgreSQL database several instances share (tables: <see cref="PostgresSchema"/>), the
/// same rows and queries as <see cref="SqlitePartnerStore"/>. This file holds the reads and the feed versions
/// (kept as the article store keeps them: <c>PostgresArticleStore.Versions.cs</c>); the registry's writes are in
/// <c>PostgresPartnerStore.Partners.cs</c>, the items' in <c>.Items.cs</c>, the poll leases in <c>.Leases.cs</c>.
/// </summary>
internal sealed partial class PostgresPartnerStore : IPartnerStore, IPostgresChangeSubscriber, IDisposable
{
    private const string StoreName = "partners";

    private readonly PostgresDatabase _database;
    private readonly PostgresChangeListener? _listener;
    private readonly OutboxRecipients _outbox;
    // Per-feed versions heard (own commits and notifications); key "" is the all-partners feed.
    private readonly FeedVersionMap<string> _versions = new(StringComparer.Ordinal);

    /// <param name="listener">This instance's change listener; without one every version is read from the database.</param>
    public PostgresPartnerStore(PostgresDatabase database, PostgresChangeListener? listener, OutboxRecipients? outbox = null)
    {
        _database = database;
        _listener = listener;
        _outbox = outbox ?? OutboxRecipients.None;
        _listener?.Subscribe(this);
    }

    public void Dispose() => _listener?.Unsubscribe(this);

    string IPostgresChangeSubscriber.Store => StoreName;

    public async ValueTask<long> VersionOfAsync(string? partnerId, CancellationToken cancellationToken)
    {
        var feed = partnerId ?? "";
        if (_listener is { IsListening: true }) return _versions.Current(feed);
        await using var connection = await _database.OpenAsync(cancellationToken);
        var stored = await ScalarAsync(connection, null, "SELECT version FROM partner_feed_changes WHERE partner_id = @id;", [("id", feed)], cancellationToken) as long? ?? 0;
        _versions.Raise(feed, stored);
        return _versions.Current(feed);
    }

    /// <summary>Read from the database: every instance answers the same.</summary>
    public async ValueTask<DateTimeOffset?> ChangedAtAsync(string? partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ScalarAsync(connection, null, "SELECT changed_at FROM partner_feed_changes WHERE partner_id = @id;", [("id", partnerId ?? "")], cancellationToken) is long at
            ? DateTimeOffset.FromUnixTimeMilliseconds(at)
            : null;
    }

    void IPostgresChangeSubscriber.Changed(PostgresChange change)
    {
        if (change.Feeds is null)
        {
            _versions.RaiseFloor(change.Version);
            return;
        }
        foreach (var feed in change.Feeds) _versions.Raise(feed, change.Version);
    }

    void IPostgresChangeSubscriber.Listening(long floor) => _versions.RaiseFloor(floor);

    public async Task<IReadOnlyList<PartnerStatus>> ListAsync(CancellationToken cancellationToken) =>
        await QueryStatusAsync("", [], cancellationToken);

    public async Task<PartnerStatus?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryStatusAsync("WHERE p.id = @id", [("id", id)], cancellationToken)).SingleOrDefault();

    public async IAsyncEnumerable<KeyedRow<StoredPartnerItem>> ReadNewestAsync(string? partnerId, string? section, RowKey before, int count,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, PartnerItemQueries.Newest(partnerId, section, keysOnly: false, '@'),
            [.. NewestParameters(partnerId, section, count), ("time", before.Time), ("seq", before.Seq)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new KeyedRow<StoredPartnerItem>(new RowKey(reader.GetInt64(0), reader.GetInt64(1)), Deserialize(reader.GetString(2), PartnerJson.Default.StoredPartnerItem));
        }
    }

    public async IAsyncEnumerable<RowKey> ReadNewestKeysAsync(string? partnerId, string? section, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, PartnerItemQueries.Newest(partnerId, section, keysOnly: true, '@'), NewestParameters(partnerId, section, count));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new RowKey(reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    private static (string, object?)[] NewestParameters(string? partnerId, string? section, int count) =>
        partnerId is not null ? [("partner", partnerId), ("count", count)]
        : section is not null ? [("section", section), ("count", count)]
        : [("count", count)];

    /// <summary>
    /// In the write's transaction, last before its commit: the outbox messages of the partner's feeds, then the
    /// store's next revision as the version of the partner's feed and of the all-partners feed, stamped with
    /// their change time and sent to every instance. Returns the revision (for <see cref="Committed"/>).
    /// </summary>
    private async Task<long> AnnounceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string partnerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await PostgresOutbox.AddAsync(connection, transaction, _outbox, PartnerFeedTopics.Of(partnerId), now, cancellationToken);
        var revision = await NextRevisionAsync(connection, transaction, cancellationToken);
        // '' before the partner's id: every writer locks the two rows in one order.
        await ExecuteAsync(connection, transaction, """
            INSERT INTO partner_feed_changes (partner_id, changed_at, version)
            SELECT f.id, @now, @version FROM unnest(@ids::text[]) WITH ORDINALITY AS f(id, n) ORDER BY f.n
            ON CONFLICT (partner_id) DO UPDATE SET changed_at = GREATEST(partner_feed_changes.changed_at, EXCLUDED.changed_at), version = EXCLUDED.version;
            """,
            [("now", now.ToUnixTimeMilliseconds()), ("version", revision), ("ids", new[] { "", partnerId })], cancellationToken);
        await new PostgresChange(StoreName, revision, ["", partnerId]).NotifyAsync(connection, transaction, cancellationToken);
        return revision;
    }

    /// <summary>After the commit of a write that changed what the partner's feeds show: their versions move here at once.</summary>
    private void Committed(string partnerId, long revision)
    {
        foreach (var feed in new[] { "", partnerId }) _versions.Raise(feed, revision);
        _outbox.Written();
    }

    private async Task<List<PartnerStatus>> QueryStatusAsync(string where, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT p.config, p.state, (SELECT COUNT(*) FROM partner_items i WHERE i.partner_id = p.id)
            FROM partners p {where} ORDER BY p.id;
            """, parameters);
        var list = new List<PartnerStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PartnerStatus(
                Deserialize(reader.GetString(0), PartnerJson.Default.Partner),
                Deserialize(reader.GetString(1), PartnerJson.Default.PartnerState),
                (int)reader.GetInt64(2)));
        }
        return list;
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, typeof(T), PartnerJson.Default);

    private static T Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException("A stored partner document is null.");
}
