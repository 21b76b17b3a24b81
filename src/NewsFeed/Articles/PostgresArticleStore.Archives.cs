using NewsFeed.Storage;

namespace NewsFeed.Articles;

/// <summary>The reads of RFC 5005 archives, as on SQLite (<c>SqliteArticleStore.Archives.cs</c>): one range of the feed indexes each.</summary>
internal sealed partial class PostgresArticleStore
{
    // Embargoed rows are read too (their visible_from only, never their document) so the archive knows when it changes next.
    internal const string ArchivedSql = """
        SELECT visible_from, CASE WHEN visible_from <= @now THEN doc END FROM articles
        WHERE status = 1 AND published_at >= @from AND published_at < @to
        ORDER BY published_at DESC, seq DESC
        LIMIT @count;
        """;

    internal const string ArchivedInTermSql = """
        SELECT t.visible_from, CASE WHEN t.visible_from <= @now THEN a.doc END FROM article_terms t JOIN articles a ON a.seq = t.seq
        WHERE t.kind = @kind AND t.slug = @slug AND t.status = 1 AND t.published_at >= @from AND t.published_at < @to
        ORDER BY t.published_at DESC, t.seq DESC
        LIMIT @count;
        """;

    internal const string NewestBeforeSql = """
        SELECT published_at FROM articles
        WHERE status = 1 AND visible_from <= @now AND published_at < @at
        ORDER BY published_at DESC, seq DESC LIMIT 1;
        """;

    internal const string NewestBeforeInTermSql = """
        SELECT published_at FROM article_terms
        WHERE kind = @kind AND slug = @slug AND status = 1 AND visible_from <= @now AND published_at < @at
        ORDER BY published_at DESC, seq DESC LIMIT 1;
        """;

    internal const string OldestFromSql = """
        SELECT published_at FROM articles
        WHERE status = 1 AND visible_from <= @now AND published_at >= @at
        ORDER BY published_at ASC, seq ASC LIMIT 1;
        """;

    internal const string OldestFromInTermSql = """
        SELECT published_at FROM article_terms
        WHERE kind = @kind AND slug = @slug AND status = 1 AND visible_from <= @now AND published_at >= @at
        ORDER BY published_at ASC, seq ASC LIMIT 1;
        """;

    public async Task<ArchivedArticles> GetArchivedAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, int count, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PostgresDatabase.Command(connection, null, term is null ? ArchivedSql : ArchivedInTermSql, [
            .. TermParameters(term),
            ("now", now.ToUnixTimeMilliseconds()),
            ("from", from.ToUnixTimeMilliseconds()),
            ("to", to.ToUnixTimeMilliseconds()),
            ("count", count + 1),
        ]);
        var rows = 0;
        var items = new List<Article>(Math.Min(count, 1000));
        DateTimeOffset? pendingUntil = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (rows < count && await reader.ReadAsync(cancellationToken))
        {
            rows++;
            if (reader.IsDBNull(1))
            {
                var visibleFrom = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0));
                if (pendingUntil is null || visibleFrom < pendingUntil) pendingUntil = visibleFrom;
                continue;
            }
            items.Add(Deserialize(reader.GetString(1)));
        }
        var hasMore = rows == count && await reader.ReadAsync(cancellationToken);
        return new ArchivedArticles(items, hasMore, pendingUntil);
    }

    public Task<DateTimeOffset?> GetNewestPublishedBeforeAsync(TermRef? term, DateTimeOffset now, DateTimeOffset before, CancellationToken cancellationToken) =>
        PublishedAtAsync(term is null ? NewestBeforeSql : NewestBeforeInTermSql, term, now, before, cancellationToken);

    public Task<DateTimeOffset?> GetOldestPublishedFromAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, CancellationToken cancellationToken) =>
        PublishedAtAsync(term is null ? OldestFromSql : OldestFromInTermSql, term, now, from, cancellationToken);

    private async Task<DateTimeOffset?> PublishedAtAsync(string sql, TermRef? term, DateTimeOffset now, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await PostgresDatabase.ScalarAsync(connection, null, sql,
            [.. TermParameters(term), ("now", now.ToUnixTimeMilliseconds()), ("at", at.ToUnixTimeMilliseconds())], cancellationToken) is long published
            ? DateTimeOffset.FromUnixTimeMilliseconds(published)
            : null;
    }

    private static (string, object?)[] TermParameters(TermRef? term) =>
        term is { } t ? [("kind", (int)t.Kind), ("slug", t.Slug)] : [];
}
