using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Storage;
using Npgsql;

namespace NewsFeed.Tests.Storage;

/// <summary>
/// A fresh, migrated store on one engine for one test: a new SQLite file, or a new PostgreSQL database with a
/// random name on the NEWSFEED_TEST_POSTGRES server, dropped afterwards. Hands out store instances on it; on
/// PostgreSQL each "instance" can have its own change listener, as separate servers would.
/// </summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly List<object> _owned = [];
    private readonly string? _path;
    private readonly string? _databaseName;

    private TestStore(StoreEngine engine, string? path, string? databaseName)
    {
        Engine = engine;
        _path = path;
        _databaseName = databaseName;
    }

    public StoreEngine Engine { get; }

    public SqliteFile? File { get; private init; }

    public PostgresDatabase? Database { get; private init; }

    public static async Task<TestStore> CreateAsync(StoreEngine engine)
    {
        if (engine == StoreEngine.Sqlite)
        {
            var path = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N") + ".db");
            var file = new SqliteFile(path);
            await SqliteSchema.MigrateAsync(file, CancellationToken.None);
            return new TestStore(engine, path, null) { File = file };
        }
        var name = "newsfeed_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(TestPostgres.Required))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", admin);
            await create.ExecuteNonQueryAsync();
        }
        var database = new PostgresDatabase(new NpgsqlConnectionStringBuilder(TestPostgres.Required) { Database = name }.ConnectionString);
        await PostgresSchema.MigrateAsync(database, CancellationToken.None);
        var store = new TestStore(engine, null, name) { Database = database };
        store._owned.Add(database);
        return store;
    }

    /// <summary>The connection string of this test's PostgreSQL database.</summary>
    public string ConnectionString => Database!.ConnectionString;

    /// <summary>An article store on this database; on PostgreSQL with <paramref name="listener"/>, or reading versions from the database without one.</summary>
    public IArticleStore Articles(TimeProvider? time = null, OutboxRecipients? outbox = null, PostgresChangeListener? listener = null) => Own<IArticleStore>(Engine == StoreEngine.Sqlite
        ? new SqliteArticleStore(File!, time, outbox)
        : new PostgresArticleStore(Database!, listener, time, outbox));

    public IPartnerStore Partners(OutboxRecipients? outbox = null, PostgresChangeListener? listener = null) => Own<IPartnerStore>(Engine == StoreEngine.Sqlite
        ? new SqlitePartnerStore(File!, outbox)
        : new PostgresPartnerStore(Database!, listener, outbox));

    public IOutbox Outbox() => Engine == StoreEngine.Sqlite ? new SqliteOutbox(File!) : new PostgresOutbox(Database!);

    /// <summary>
    /// A started change listener of another "instance" (its own data source), listening; <paramref name="time"/>
    /// drives its reconnect backoff (a FakeTimeProvider holds it off until advanced). PostgreSQL only.
    /// </summary>
    public async Task<PostgresChangeListener> ListenerAsync(TimeProvider? time = null, OutboxRecipients? outbox = null)
    {
        var database = Own(new PostgresDatabase(ConnectionString));
        var listener = new PostgresChangeListener(database, time ?? TimeProvider.System, NullLogger<PostgresChangeListener>.Instance, outbox);
        _owned.Insert(0, listener);
        await listener.StartAsync(CancellationToken.None);
        await Eventually.WaitUntilAsync(() => listener.IsListening, TimeSpan.FromSeconds(10), () => "the listener did not start listening");
        return listener;
    }

    /// <summary>Queues outbox messages in a transaction of their own, as a store's write does in its own.</summary>
    public async Task AddToOutboxAsync(OutboxRecipients recipients, IEnumerable<string> topics, DateTimeOffset now)
    {
        if (Engine == StoreEngine.Sqlite)
        {
            await using var connection = await File!.OpenForWriteAsync(CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await SqliteOutbox.AddAsync(connection, transaction, recipients, topics, now, CancellationToken.None);
            await transaction.CommitAsync();
            return;
        }
        await using var pg = await Database!.OpenAsync(CancellationToken.None);
        await using var pgTransaction = await pg.BeginTransactionAsync();
        await PostgresOutbox.AddAsync(pg, pgTransaction, recipients, topics, now, CancellationToken.None);
        await pgTransaction.CommitAsync();
    }

    /// <summary>Runs SQL both engines read alike (parameters named "@name") straight on the store, as an outside writer would.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        if (Engine == StoreEngine.Sqlite)
        {
            await using var connection = await File!.OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue("@" + name, value);
            return await command.ExecuteNonQueryAsync();
        }
        await using var pg = await Database!.OpenAsync(CancellationToken.None);
        return await PostgresDatabase.ExecuteAsync(pg, null, sql, [.. parameters.Select(p => (p.Name, (object?)p.Value))], CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            switch (owned)
            {
                case PostgresChangeListener listener:
                    await listener.StopAsync(CancellationToken.None);
                    listener.Dispose();
                    break;
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
        if (_path is not null)
        {
            File!.ClearPool();
            foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" }) System.IO.File.Delete(file);
        }
        if (_databaseName is not null)
        {
            await using var admin = new NpgsqlConnection(TestPostgres.Required);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE);", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private T Own<T>(T value)
        where T : notnull
    {
        _owned.Add(value);
        return value;
    }
}
