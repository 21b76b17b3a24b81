using Npgsql;

namespace NewsFeed.Storage;

/// <summary>
/// The PostgreSQL database of a shared store (<see cref="StorageProvider.Postgres"/>): the one pooled
/// <see cref="NpgsqlDataSource"/> of the process, and the two small command helpers the stores use. Writes are
/// durable when their commit returns as long as the server keeps <c>synchronous_commit</c> at its default (on).
/// </summary>
internal sealed class PostgresDatabase : IDisposable, IAsyncDisposable
{
    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // A NewsFeed connection says so in pg_stat_activity, unless the operator named it.
        builder.ConnectionStringBuilder.ApplicationName ??= "NewsFeed";
        DataSource = builder.Build();
        ConnectionString = builder.ConnectionString;
    }

    public NpgsqlDataSource DataSource { get; }

    public string ConnectionString { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>
    /// Takes the store's next revision: the version of every feed this write touches. Call it last before the
    /// commit (after every other row lock the write takes): the row stays locked until the commit, so revisions
    /// are handed out in commit order and a later commit always has a higher one, whichever instance made it.
    /// </summary>
    public static async Task<long> NextRevisionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, transaction, "UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value;", [], cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A command with named parameters (<c>@name</c> in the SQL); a null value is sent as SQL NULL (cast it in the SQL where its type matters).</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public void Dispose() => DataSource.Dispose();

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
