using System.Data.Common;
using Microsoft.AspNetCore.Connections;
using Microsoft.Data.Sqlite;

namespace NewsFeed.Storage;

/// <summary>
/// What a failure to reach the store looks like, on either engine. Requests that needed it answer 503
/// (<see cref="StoreUnavailableHandler"/>); caches that hold a copy serve it instead; background work waits.
/// Not a bug in a query, which stays an error of ours.
/// </summary>
internal static class StoreUnavailable
{
    public static bool Is(Exception exception) => Cause(exception) is not null;

    /// <summary>The exception (this one or one it wraps) that says the store cannot be reached; null for any other failure.</summary>
    public static Exception? Cause(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is BadHttpRequestException) return null; // the client's error, whatever it wraps
            if (IsUnreachable(current)) return current;
        }
        return null;
    }

    private static bool IsUnreachable(Exception exception) => exception switch
    {
        // SQLite's primary result codes (extended codes keep them in the low byte): the file is busy or locked
        // past the busy timeout, cannot be opened, read or written, is read-only, or its disk is full.
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is SqlitePerm or SqliteBusy or SqliteLocked or SqliteReadOnly
            or SqliteIoError or SqliteFull or SqliteCantOpen,
        // Npgsql (and other ADO.NET providers) mark connection failures, timeouts and failovers as transient.
        DbException { IsTransient: true } => true,
        // The client's broken or too slow body (BadHttpRequestException, 400/408/413 in Program.cs) and a reset
        // connection are IOExceptions too, but of the request, not of the store.
        BadHttpRequestException or ConnectionResetException => false,
        IOException => true,
        _ => false,
    };

    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
}
