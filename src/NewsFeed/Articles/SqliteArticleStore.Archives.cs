using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using NewsFeed.Storage;

namespace NewsFeed.Articles;

/// <summary>
/// The reads of RFC 5005 archives: one month of a feed, and the months around it, each one range of the feed
/// indexes; and the reading of feed rows (<c>ReadRowsAsync</c>) that a month and a page of a feed share.
/// </summary>
internal sealed partial class SqliteArticleStore
{
    // What a feed query reads of each row: the document, but one larger than WholeDocumentChars without its body
    // (json_remove runs in SQLite's native code), and then the body's length, so the byte budget decides whether
    // to read it (GetAtAsync) before it is ever a .NET string.
    private const string RowColumns = """
        CASE WHEN length(doc) <= $whole THEN doc ELSE json_remove(doc, '$.body') END,
        CASE WHEN length(doc) <= $whole THEN 0 ELSE COALESCE(length(json_extract(doc, '$.body')), 0) END
        """;

    internal const string AtSql = "SELECT seq, doc FROM articles WHERE seq = $seq AND published_at = $time AND status = 1;";

    // A month of the feed below a position: the feed query (NewestSql) with a lower bound on the time.
    internal const string ArchivedSql = $"""
        SELECT published_at, seq, {RowColumns} FROM articles
        WHERE status = 1 AND visible_from <= $now AND published_at >= $from AND (published_at, seq) < ($time, $seq)
        ORDER BY published_at DESC, seq DESC
        LIMIT $count;
        """;

    internal const string ArchivedInTermSql = $"""
        SELECT t.published_at, t.seq, {RowColumns} FROM article_terms t JOIN articles a ON a.seq = t.seq
        WHERE t.kind = $kind AND t.slug = $slug AND t.status = 1 AND t.visible_from <= $now AND t.published_at >= $from
            AND (t.published_at, t.seq) < ($time, $seq)
        ORDER BY t.published_at DESC, t.seq DESC
        LIMIT $count;
        """;

    // The embargoes still on in a month, of any feed (an archive waits for them all). SQLite walks the month's
    // range of ix_articles_newest (covering) for the smallest; PostgreSQL takes the pending ones in order.
    internal const string PendingLiftSql = """
        SELECT MIN(visible_from) FROM articles
        WHERE status = 1 AND visible_from > $now AND published_at >= $from AND published_at < $to;
        """;

    internal const string NewestBeforeSql = """
        SELECT published_at FROM articles
        WHERE status = 1 AND visible_from <= $now AND published_at < $at
        ORDER BY published_at DESC, seq DESC LIMIT 1;
        """;

    internal const string NewestBeforeInTermSql = """
        SELECT published_at FROM article_terms
        WHERE kind = $kind AND slug = $slug AND status = 1 AND visible_from <= $now AND published_at < $at
        ORDER BY published_at DESC, seq DESC LIMIT 1;
        """;

    internal const string OldestFromSql = """
        SELECT published_at FROM articles
        WHERE status = 1 AND visible_from <= $now AND published_at >= $at
        ORDER BY published_at ASC, seq ASC LIMIT 1;
        """;

    internal const string OldestFromInTermSql = """
        SELECT published_at FROM article_terms
        WHERE kind = $kind AND slug = $slug AND status = 1 AND visible_from <= $now AND published_at >= $at
        ORDER BY published_at ASC, seq ASC LIMIT 1;
        """;

    public IAsyncEnumerable<KeyedRow<Article>> ReadArchivedAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, RowKey before, int count,
        CancellationToken cancellationToken) =>
        ReadRowsAsync(term is null ? ArchivedSql : ArchivedInTermSql, term, now, from, before, count, cancellationToken);

    /// <summary>
    /// The rows of a feed query (time, seq, document) below <paramref name="before"/>, from <paramref name="from"/> on
    /// when the query has a lower bound (archives), one at a time: the caller decides about each article before the
    /// next is read.
    /// </summary>
    private async IAsyncEnumerable<KeyedRow<Article>> ReadRowsAsync(string sql, TermRef? term, DateTimeOffset now, DateTimeOffset? from, RowKey before, int count,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = NewestCommand(connection, sql, term, now, count);
        if (from is { } lowest) command.Parameters.AddWithValue("$from", lowest.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$time", before.Time);
        command.Parameters.AddWithValue("$seq", before.Seq);
        command.Parameters.AddWithValue("$whole", ArticleStoreReads.WholeDocumentChars);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new KeyedRow<Article>(new RowKey(reader.GetInt64(0), reader.GetInt64(1)), Deserialize(reader.GetString(2)), reader.GetInt32(3));
        }
    }

    public async Task<Article?> GetAtAsync(RowKey key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Parsed from its UTF-8 bytes: this is how a long story's body is read, and a string of it first would double it.
        return await SqliteFile.ParseBytesAsync(connection, AtSql, [("$seq", key.Seq), ("$time", key.Time)], Deserialize, cancellationToken);
    }

    public async Task<DateTimeOffset?> GetPendingLiftAsync(DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await SqliteFile.ScalarAsync(connection, null, PendingLiftSql,
            [("$now", now.ToUnixTimeMilliseconds()), ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds())], cancellationToken) is long lift
            ? DateTimeOffset.FromUnixTimeMilliseconds(lift)
            : null;
    }

    public Task<DateTimeOffset?> GetNewestPublishedBeforeAsync(TermRef? term, DateTimeOffset now, DateTimeOffset before, CancellationToken cancellationToken) =>
        PublishedAtAsync(term is null ? NewestBeforeSql : NewestBeforeInTermSql, term, now, before, cancellationToken);

    public Task<DateTimeOffset?> GetOldestPublishedFromAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, CancellationToken cancellationToken) =>
        PublishedAtAsync(term is null ? OldestFromSql : OldestFromInTermSql, term, now, from, cancellationToken);

    private async Task<DateTimeOffset?> PublishedAtAsync(string sql, TermRef? term, DateTimeOffset now, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        AddTerm(command, term);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return await command.ExecuteScalarAsync(cancellationToken) is long published ? DateTimeOffset.FromUnixTimeMilliseconds(published) : null;
    }

    private static void AddTerm(SqliteCommand command, TermRef? term)
    {
        if (term is not { } t) return;
        command.Parameters.AddWithValue("$kind", (int)t.Kind);
        command.Parameters.AddWithValue("$slug", t.Slug);
    }
}
