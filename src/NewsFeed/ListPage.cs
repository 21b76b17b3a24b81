namespace NewsFeed;

/// <summary>
/// One page of a list read newest first, by offset. It is read with one row more than the page holds, which
/// tells whether an older page exists without counting the list. Only the admin article list pages this way (an
/// authenticated operator's list, where O(offset) is acceptable); public feeds page by cursor
/// (<c>Feeds/FeedCursor.cs</c>) so that any depth costs O(limit).
/// </summary>
internal sealed record ListPage<T>(IReadOnlyList<T> Items, bool HasNext)
{
    /// <param name="page">1-based.</param>
    /// <param name="read">Reads <c>count</c> rows from <c>offset</c>, newest first.</param>
    public static async Task<ListPage<T>> ReadAsync(int page, int limit, Func<int, int, Task<IReadOnlyList<T>>> read)
    {
        var rows = await read((page - 1) * limit, limit + 1);
        return rows.Count > limit ? new ListPage<T>(rows.Take(limit).ToList(), true) : new ListPage<T>(rows, false);
    }
}
