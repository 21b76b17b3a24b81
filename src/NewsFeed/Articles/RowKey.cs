namespace NewsFeed.Articles;

/// <summary>
/// Where a stored row sorts in a feed, newest first: its time in Unix milliseconds (an article's
/// <c>published_at</c>, a partner item's <c>sort_at</c>), then its <c>seq</c> (the row's insertion number, unique
/// in its table), both descending. Rows of one table never tie, so a page after the first asks for the rows
/// strictly below the last key it was given (<c>(time, seq) &lt; (@time, @seq)</c>, a row-value comparison the
/// feed indexes answer with one seek) and costs O(limit) at any depth.
/// </summary>
internal readonly record struct RowKey(long Time, long Seq) : IComparable<RowKey>
{
    /// <summary>Above every row: the first page.</summary>
    public static RowKey Top => new(long.MaxValue, long.MaxValue);

    public int CompareTo(RowKey other) => Time != other.Time ? Time.CompareTo(other.Time) : Seq.CompareTo(other.Seq);
}

/// <summary>A row of a feed query with its <see cref="RowKey"/>, so the reader can continue after it.</summary>
/// <param name="UnreadBody">
/// The length in characters of the article body a feed read left unread (its document is larger than
/// <see cref="ArticleStoreReads.WholeDocumentChars"/>; <see cref="IArticleStore.GetAtAsync"/> reads it whole); 0 when
/// <paramref name="Item"/> is whole. Partner items are always whole.
/// </param>
internal readonly record struct KeyedRow<T>(RowKey Key, T Item, int UnreadBody = 0);
