using System.Data.Common;

namespace NewsFeed.Storage;

/// <summary>What a failure to reach the store looks like, on either engine: callers that hold a cached copy serve it instead.</summary>
internal static class StoreUnavailable
{
    /// <summary>
    /// A database error (SQLite's file locked or unreadable, PostgreSQL down, restarting or refusing connections,
    /// a broken connection) or an I/O error under it; not a bug in a query, which is a plain exception.
    /// </summary>
    public static bool Is(Exception exception) => exception switch
    {
        DbException or IOException or TimeoutException => true,
        // Npgsql wraps a failed connect in its own exception types, all DbExceptions; an aggregate or a wrapped one may carry it.
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
