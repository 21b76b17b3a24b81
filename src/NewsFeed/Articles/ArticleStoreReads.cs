namespace NewsFeed.Articles;

/// <summary>Reads every article store answers the same way, built on its members.</summary>
internal static class ArticleStoreReads
{
    /// <summary>The first <paramref name="count"/> articles of a feed, newest first (headlines, tests).</summary>
    public static async Task<IReadOnlyList<Article>> GetNewestAsync(this IArticleStore store, TermRef? term, DateTimeOffset now, int count, CancellationToken cancellationToken)
    {
        var articles = new List<Article>(Math.Min(count, 1000));
        await foreach (var row in store.ReadNewestAsync(term, now, RowKey.Top, count, cancellationToken)) articles.Add(row.Item);
        return articles;
    }
}
