namespace NewsFeed.Feeds;

/// <summary>Strict reading of <c>?before=</c>, as <see cref="QueryParameters"/> reads the numeric parameters.</summary>
internal static class FeedCursorParameter
{
    public const string Name = "before";

    /// <summary>The parameter as a query string of its own (<c>?before=…</c>), or empty without a cursor.</summary>
    public static string QueryOf(FeedCursor? before) => before is { } cursor ? "?" + Name + "=" + cursor : "";

    /// <summary>
    /// The cursor, or null when absent. A value that is not a cursor, or one given twice, is an error under
    /// <c>before</c>; a cursor spelled otherwise than <see cref="FeedCursor.ToString"/> is read, and the
    /// canonical-query rule then redirects it to its one spelling.
    /// </summary>
    public static FeedCursor? Read(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(Name, out var values))
        {
            return null;
        }
        if (values.Count == 1 && FeedCursor.TryParse(values[0], out var cursor))
        {
            return cursor;
        }
        errors[Name] = [$"'{Name}' must be given once, as the position in a feed's next link (such as 1795000000000.42)."];
        return null;
    }
}
