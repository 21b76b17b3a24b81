namespace NewsFeed.Feeds;

/// <summary>Merging two lists that are each newest first (by <see cref="FeedCursor"/>) into one, lazily.</summary>
internal static class NewestFirst
{
    /// <summary>
    /// The first <paramref name="count"/> items of both lists in feed order, read from each only as far as needed:
    /// one item of each is held at a time, so merging costs no more memory than reading one list.
    /// </summary>
    public static async IAsyncEnumerable<T> Merge<T>(IAsyncEnumerable<T> first, IAsyncEnumerable<T> second, Func<T, FeedCursor> positionOf, int count)
    {
        await using var a = first.GetAsyncEnumerator();
        await using var b = second.GetAsyncEnumerator();
        var hasA = await a.MoveNextAsync();
        var hasB = await b.MoveNextAsync();
        for (var given = 0; given < count && (hasA || hasB); given++)
        {
            // Positions never tie across the lists (FeedCursor.Source differs), so the merge is a total order.
            if (hasA && (!hasB || positionOf(a.Current).CompareTo(positionOf(b.Current)) > 0))
            {
                yield return a.Current;
                hasA = await a.MoveNextAsync();
            }
            else
            {
                yield return b.Current;
                hasB = await b.MoveNextAsync();
            }
        }
    }
}
