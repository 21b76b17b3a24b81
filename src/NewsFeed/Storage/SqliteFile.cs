using Microsoft.Data.Sqlite;

namespace NewsFeed.Storage;

/// <summary>
/// The one SQLite file of the embedded store, which every table lives in (articles, partners): where it is,
/// how it is opened, and the two small command helpers the stores use for statements that read no rows.
/// </summary>
internal sealed class SqliteFile
{
    /// <param name="path">The database file; its folder is created if missing, the file on first open.</param>
    public SqliteFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        // Pooled, read-write, created on first use; a writer waits up to 30 s for another's lock.
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>
    /// Every write this process makes to the file waits here first (the stores' writes, outbox and lease
    /// bookkeeping), so writers queue asynchronously instead of meeting SQLite's lock: a writer that finds the
    /// file locked by another connection sleeps in Microsoft.Data.Sqlite's busy loop, holding its thread.
    /// Held for the whole transaction; never taken twice by one write.
    /// </summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public string ConnectionString { get; }

    /// <summary>Closes the idle pooled connections of this one file (so it can be deleted or reopened cold).</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// A connection for a write. <c>synchronous = FULL</c> (per connection): an acknowledged write is on disk
    /// before we answer, even across a power cut. Every write path of every store opens through here.
    /// </summary>
    public async Task<SqliteConnection> OpenForWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA synchronous = FULL;", [], cancellationToken);
        return connection;
    }

    /// <summary>
    /// Runs a bookkeeping write that need not survive a power cut (outbox claims and completions, poll leases:
    /// losing one only sends a ping again, or lets a lease lapse early) under <see cref="WriteLock"/>, on a
    /// connection with <c>synchronous = NORMAL</c>: in WAL mode its commit is not flushed to disk at once, so
    /// bookkeeping done for every change costs no fsync. Durable writes open through <see cref="OpenForWriteAsync"/>,
    /// which sets FULL again on whichever pooled connection it gets.
    /// </summary>
    public async Task<T> BookkeepingAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, "PRAGMA synchronous = NORMAL;", [], cancellationToken);
            return await write(connection);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    public static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// <paramref name="parse"/> of the second column of the first row as its stored bytes (a TEXT column's UTF-8 as
    /// SQLite holds it), or default when there is no row. The first column must be the table's rowid (its INTEGER
    /// PRIMARY KEY): with it, the value is read through SQLite's incremental blob I/O straight into a pooled buffer,
    /// so a long story's document is never a .NET string, nor an array of its own, before it is parsed.
    /// </summary>
    public static async Task<T?> ParseBytesAsync<T>(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters, Func<ReadOnlySpan<byte>, T> parse,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(1)) return default;
        await using var stream = reader.GetStream(1);
        var length = checked((int)stream.Length);
        var buffer = LargeBuffers.Pool.Rent(length);
        try
        {
            stream.ReadExactly(buffer, 0, length);
            return parse(buffer.AsSpan(0, length));
        }
        finally
        {
            LargeBuffers.Pool.Return(buffer);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
