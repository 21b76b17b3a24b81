namespace NewsFeed.Articles;

/// <summary>Reads every article store answers the same way, built on its members.</summary>
internal static class ArticleStoreReads
{
    /// <summary>
    /// The largest stored document (in characters) a feed read gives whole. A larger one comes without its body,
    /// which the reader asks for only if its page keeps it (<see cref="IArticleStore.GetAtAsync"/>): a page of
    /// 100 stories of 450,000 characters, most of which the byte budget sends as summaries, then never holds
    /// their bodies in memory. 64 Ki characters is about eight times a long news story.
    /// </summary>
    public const int WholeDocumentChars = 64 * 1024;

    /// <summary>The first <paramref name="count"/> articles of a feed, newest first, whole (headlines, tests).</summary>
    public static async Task<IReadOnlyList<Article>> GetNewestAsync(this IArticleStore store, TermRef? term, DateTimeOffset now, int count, CancellationToken cancellationToken)
    {
        var rows = new List<KeyedRow<Article>>(Math.Min(count, 1000));
        await foreach (var row in store.ReadNewestAsync(term, now, RowKey.Top, count, cancellationToken)) rows.Add(row);
        var articles = new List<Article>(rows.Count);
        foreach (var row in rows)
        {
            articles.Add(row.UnreadBody == 0 ? row.Item : await store.GetAtAsync(row.Key, cancellationToken) ?? row.Item);
        }
        return articles;
    }
}
