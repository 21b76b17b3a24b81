using System.Globalization;
using Npgsql;

namespace NewsFeed.Storage;

/// <summary>
/// Hears every instance's committed writes: one dedicated connection (not pooled) that <c>LISTEN</c>s on
/// <see cref="PostgresChange.Channel"/> and hands each change to the stores that subscribed, and each outbox
/// change to the outbox dispatcher's wake-up. When the connection breaks it reconnects with backoff; until it
/// listens again <see cref="IsListening"/> is false, and the stores read feed versions from the database
/// instead of trusting what they heard. On every (re)connect the stores move every feed to the committed
/// revision (what was missed meanwhile is unknown).
/// </summary>
internal sealed partial class PostgresChangeListener : BackgroundService
{
    /// <summary>How long the connection may stay silent before a round trip checks it is still there.</summary>
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    internal static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(15);

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly OutboxRecipients? _recipients;
    private readonly ILogger<PostgresChangeListener> _logger;
    private readonly Lock _gate = new();
    private IPostgresChangeSubscriber[] _subscribers = [];
    private long? _floor;
    private volatile bool _listening;

    public PostgresChangeListener(PostgresDatabase database, TimeProvider time, ILogger<PostgresChangeListener> logger, OutboxRecipients? recipients = null)
    {
        _connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            // Its own physical connection, never one a store's command is using; KeepAlive notices a dead peer.
            Pooling = false,
            KeepAlive = 10,
            ApplicationName = "NewsFeed listener",
        }.ConnectionString;
        _time = time;
        _logger = logger;
        _recipients = recipients;
    }

    /// <summary>True while LISTEN is in force on a live connection: every committed change reaches the subscribers.</summary>
    public bool IsListening => _listening;

    /// <summary>The server process of the listening connection (for tests that break it).</summary>
    internal int? BackendProcessId { get; private set; }

    public void Subscribe(IPostgresChangeSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscriber];
            // Already listening: changes from now on reach it; the floor covers those it could not hear.
            if (_floor is { } floor) subscriber.Listening(floor);
        }
    }

    public void Unsubscribe(IPostgresChangeSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(other => !ReferenceEquals(other, subscriber))];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => retry = FirstRetry, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Never let the listener die: log why (one line, no stack trace) and try again.
                Deaf();
                LogLost(exception.GetType().Name, exception.Message, retry.TotalSeconds);
            }
            try
            {
                await Task.Delay(retry, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    private async Task ListenAsync(Action connected, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        connection.Notification += (_, args) => Deliver(args.Payload);
        try
        {
            await connection.OpenAsync(stoppingToken);
            await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChange.Channel};", connection))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken);
            }
            // Read after LISTEN: every change committed later is heard, every one before is at most this.
            await using (var revision = new NpgsqlCommand("SELECT value FROM meta WHERE key = 'revision';", connection))
            {
                var floor = Convert.ToInt64(await revision.ExecuteScalarAsync(stoppingToken), CultureInfo.InvariantCulture);
                lock (_gate)
                {
                    _floor = floor;
                    foreach (var subscriber in _subscribers) subscriber.Listening(floor);
                }
            }
            BackendProcessId = connection.ProcessID;
            _listening = true;
            connected();
            // Outbox messages written while we were deaf are waiting.
            _recipients?.Written();
            LogListening(connection.Host ?? "", connection.Database);
            while (true)
            {
                if (!await connection.WaitAsync(CheckInterval, stoppingToken))
                {
                    // Short: a connection that cannot answer this is as good as gone, and the stores should know now.
                    await using var check = new NpgsqlCommand("SELECT 1;", connection) { CommandTimeout = 2 };
                    await check.ExecuteScalarAsync(stoppingToken);
                }
            }
        }
        finally
        {
            Deaf();
        }
    }

    private void Deaf()
    {
        _listening = false;
        lock (_gate) _floor = null;
    }

    private void Deliver(string payload)
    {
        if (PostgresChange.Parse(payload) is not { } change) return;
        if (change.Store == PostgresChange.Outbox)
        {
            _recipients?.Written();
            return;
        }
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (subscriber.Store == change.Store) subscriber.Changed(change);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for store changes on {Host}/{Database}")]
    private partial void LogListening(string host, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not listening for store changes ({Reason}: {Detail}); feed versions are read from the database until it listens again, retrying in {RetrySeconds} s")]
    private partial void LogLost(string reason, string detail, double retrySeconds);
}
