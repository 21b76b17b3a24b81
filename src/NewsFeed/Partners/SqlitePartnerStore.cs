using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsFeed.Articles;
using NewsFeed.Storage;

namespace NewsFeed.Partners;

/// <summary>
/// The embedded partner store, on the SQLite file of <see cref="SqliteFile"/> (tables: <see cref="SqliteSchema"/>).
/// This file holds the reads and the feed versions; the registry's writes are in
/// <c>SqlitePartnerStore.Partners.cs</c>, the items' in <c>SqlitePartnerStore.Items.cs</c>.
/// </summary>
internal sealed partial class SqlitePartnerStore : IPartnerStore, IDisposable
{
    private readonly SqliteFile _file;
    private SemaphoreSlim _writeLock => _file.WriteLock;
    // Feed versions, as for articles: they move on every committed poll write that changes what a
    // partner feed shows, and on every PUT and DELETE of a partner. Key "" is the all-partners feed.
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);
    private long _version;

    private readonly OutboxRecipients _outbox;

    public SqlitePartnerStore(SqliteFile file, OutboxRecipients? outbox = null)
    {
        _file = file;
        _outbox = outbox ?? OutboxRecipients.None;
    }

    // The write lock is the file's (SqliteFile.WriteLock), shared with every other writer of it.
    public void Dispose()
    {
    }

    public ValueTask<long> VersionOfAsync(string? partnerId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(partnerId is null ? Interlocked.Read(ref _version) : _versions.GetValueOrDefault(partnerId));

    public ValueTask<DateTimeOffset?> ChangedAtAsync(string? partnerId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_changedAt.TryGetValue(partnerId ?? "", out var at) ? at : (DateTimeOffset?)null);

    public async Task<IReadOnlyList<PartnerStatus>> ListAsync(CancellationToken cancellationToken) =>
        await QueryStatusAsync("WHERE 1 = 1", [], cancellationToken);

    public async Task<PartnerStatus?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryStatusAsync("WHERE p.id = $id", [("$id", id)], cancellationToken)).SingleOrDefault();

    public async IAsyncEnumerable<KeyedRow<StoredPartnerItem>> ReadNewestAsync(string? partnerId, string? section, RowKey before, int count,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = NewestCommand(connection, PartnerItemQueries.Newest(partnerId, section, keysOnly: false, '$'), partnerId, section, count);
        command.Parameters.AddWithValue("$time", before.Time);
        command.Parameters.AddWithValue("$seq", before.Seq);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new KeyedRow<StoredPartnerItem>(new RowKey(reader.GetInt64(0), reader.GetInt64(1)), Deserialize(reader.GetString(2), PartnerJson.Default.StoredPartnerItem));
        }
    }

    public async IAsyncEnumerable<RowKey> ReadNewestKeysAsync(string? partnerId, string? section, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = NewestCommand(connection, PartnerItemQueries.Newest(partnerId, section, keysOnly: true, '$'), partnerId, section, count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new RowKey(reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    private static SqliteCommand NewestCommand(SqliteConnection connection, string sql, string? partnerId, string? section, int count)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (partnerId is not null) command.Parameters.AddWithValue("$partner", partnerId);
        else if (section is not null) command.Parameters.AddWithValue("$section", section);
        command.Parameters.AddWithValue("$count", count);
        return command;
    }

    /// <summary>In the write's transaction: the outbox messages of the partner's feeds.</summary>
    private Task AnnounceAsync(SqliteConnection connection, SqliteTransaction transaction, string partnerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        SqliteOutbox.AddAsync(connection, transaction, _outbox, PartnerFeedTopics.Of(partnerId), now, cancellationToken);

    /// <summary>After the commit of a write that changed what the partner's feeds show: their versions move.</summary>
    private void Changed(string partnerId, DateTimeOffset now)
    {
        var version = Interlocked.Increment(ref _version);
        _versions[partnerId] = version;
        _changedAt[partnerId] = now;
        _changedAt[""] = now;
        _outbox.Written();
    }

    private async Task<List<PartnerStatus>> QueryStatusAsync(string where, (string, object)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT p.config, p.state, (SELECT COUNT(*) FROM partner_items i WHERE i.partner_id = p.id)
            FROM partners p {where} ORDER BY p.id;
            """;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var list = new List<PartnerStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PartnerStatus(
                Deserialize(reader.GetString(0), PartnerJson.Default.Partner),
                Deserialize(reader.GetString(1), PartnerJson.Default.PartnerState),
                reader.GetInt32(2)));
        }
        return list;
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, typeof(T), PartnerJson.Default);

    private static T Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException("A stored partner document is null.");

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _file.OpenAsync(cancellationToken);
}
