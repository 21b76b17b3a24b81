using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NewsFeed.Storage;

namespace NewsFeed.Articles;

/// <summary>
/// The article store on a PostgreSQL database several instances share (tables: <see cref="PostgresSchema"/>),
/// the same rows and queries as <see cref="SqliteArticleStore"/>. This file holds the reads; the feed versions
/// are in <c>PostgresArticleStore.Versions.cs</c>, the one write path in <c>PostgresArticleStore.Writes.cs</c>.
/// </summary>
internal sealed partial class PostgresArticleStore : IArticleStore, IDisposable
{
    // The feed queries, named so tests can check their query plans. "status = 1" is spelled as a literal so
    // the planner can use the partial indexes; each seeks to the row below @time/@seq in one index, walks it in
    // order and stops at LIMIT (RowKey: a deep page costs what the first does).
    internal const string NewestSql = $"""
        SELECT published_at, seq, {RowColumns} FROM articles
        WHERE status = 1 AND visible_from <= @now AND (published_at, seq) < (@time, @seq)
        ORDER BY published_at DESC, seq DESC
        LIMIT @count;
        """;

    internal const string NewestInTermSql = $"""
        SELECT t.published_at, t.seq, {RowColumns} FROM article_terms t JOIN articles a ON a.seq = t.seq
        WHERE t.kind = @kind AND t.slug = @slug AND t.status = 1 AND t.visible_from <= @now AND (t.published_at, t.seq) < (@time, @seq)
        ORDER BY t.published_at DESC, t.seq DESC
        LIMIT @count;
        """;

    // The keys alone, from the feed indexes (no document is read): where an old ?page=N link starts.
    internal const string NewestKeysSql = """
        SELECT published_at, seq FROM articles
        WHERE status = 1 AND visible_from <= @now
        ORDER BY published_at DESC, seq DESC
        LIMIT @count;
        """;

    internal const string NewestKeysInTermSql = """
        SELECT published_at, seq FROM article_terms
        WHERE kind = @kind AND slug = @slug AND status = 1 AND visible_from <= @now
        ORDER BY published_at DESC, seq DESC
        LIMIT @count;
        """;

    // As on SQLite: the newest visible article names the term; only an all-retracted term needs the second lookup.
    internal const string TermNameSql = """
        SELECT COALESCE(
            (SELECT name FROM article_terms
             WHERE kind = @kind AND slug = @slug AND status = 1 AND visible_from <= @now
             ORDER BY published_at DESC, seq DESC LIMIT 1),
            (SELECT name FROM article_terms
             WHERE kind = @kind AND slug = @slug AND status = 2 AND visible_from <= @now LIMIT 1));
        """;

    internal const string NextEmbargoLiftSql = "SELECT MIN(visible_from) FROM articles WHERE status = 1 AND visible_from > @now;";

    private readonly PostgresDatabase _database;
    private readonly PostgresChangeListener? _listener;
    private readonly TimeProvider _time;
    private readonly OutboxRecipients _outbox;

    /// <param name="listener">This instance's change listener; without one (the import command) every version is read from the database.</param>
    public PostgresArticleStore(PostgresDatabase database, PostgresChangeListener? listener, TimeProvider? time = null, OutboxRecipients? outbox = null)
    {
        _database = database;
        _listener = listener;
        _time = time ?? TimeProvider.System;
        _outbox = outbox ?? OutboxRecipients.None;
        _listener?.Subscribe(this);
    }

    public void Dispose() => _listener?.Unsubscribe(this);

    /// <summary>Every writer notifies the others in its transaction; there is nothing to catch up on.</summary>
    public Task<bool> CatchUpAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public IAsyncEnumerable<KeyedRow<Article>> ReadNewestAsync(TermRef? term, DateTimeOffset now, RowKey before, int count, CancellationToken cancellationToken) =>
        ReadRowsAsync(term is null ? NewestSql : NewestInTermSql, [.. NewestParameters(term, now, count), ("time", before.Time), ("seq", before.Seq)], cancellationToken);

    public async IAsyncEnumerable<RowKey> ReadNewestKeysAsync(TermRef? term, DateTimeOffset now, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PostgresDatabase.Command(connection, null, term is null ? NewestKeysSql : NewestKeysInTermSql, NewestParameters(term, now, count));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new RowKey(reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    private static (string, object?)[] NewestParameters(TermRef? term, DateTimeOffset now, int count) => term is { } t
        ? [("now", now.ToUnixTimeMilliseconds()), ("count", count), ("kind", (int)t.Kind), ("slug", t.Slug)]
        : [("now", now.ToUnixTimeMilliseconds()), ("count", count)];

    public async Task<string?> FindTermNameAsync(TermRef term, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await PostgresDatabase.ScalarAsync(connection, null, TermNameSql,
            [("kind", (int)term.Kind), ("slug", term.Slug), ("now", now.ToUnixTimeMilliseconds())], cancellationToken) as string;
    }

    public async Task<IReadOnlyList<TermSummary>> ListTermsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PostgresDatabase.Command(connection, null, """
            SELECT kind, slug, MAX(name), COUNT(*) FROM article_terms
            WHERE status = 1 AND visible_from <= @now
            GROUP BY kind, slug ORDER BY kind, slug;
            """, [("now", now.ToUnixTimeMilliseconds())]);
        var terms = new List<TermSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            terms.Add(new TermSummary((TermKind)reader.GetInt32(0), reader.GetString(1), reader.GetString(2), (int)reader.GetInt64(3)));
        }
        return terms;
    }

    public async Task<DateTimeOffset?> GetNextEmbargoLiftAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await PostgresDatabase.ScalarAsync(connection, null, NextEmbargoLiftSql, [("now", now.ToUnixTimeMilliseconds())], cancellationToken) is long next
            ? DateTimeOffset.FromUnixTimeMilliseconds(next)
            : null;
    }

    public async Task<DateTimeOffset?> GetFeedChangedAtAsync(TermRef? term, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var (kind, slug) = FeedOf(term);
        return await PostgresDatabase.ScalarAsync(connection, null, "SELECT changed_at FROM feed_changes WHERE kind = @kind AND slug = @slug;",
            [("kind", kind), ("slug", slug)], cancellationToken) is long changed
            ? DateTimeOffset.FromUnixTimeMilliseconds(changed)
            : null;
    }

    public async Task<Article?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await PostgresDatabase.ScalarAsync(connection, null, "SELECT doc FROM articles WHERE id = @id;", [("id", id.ToString())], cancellationToken) is string doc
            ? Deserialize(doc)
            : null;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return Convert.ToInt64(await PostgresDatabase.ScalarAsync(connection, null, "SELECT COUNT(*) FROM articles;", [], cancellationToken), CultureInfo.InvariantCulture);
    }

    public Task<IReadOnlyList<Article>> ListAsync(ArticleStatus? status, int offset, int count, CancellationToken cancellationToken) =>
        QueryArticlesAsync("""
            SELECT doc FROM articles WHERE @status::integer IS NULL OR status = @status::integer
            ORDER BY published_at DESC, seq DESC LIMIT @count OFFSET @offset;
            """,
            [("status", status is { } s ? (int)s : null), ("count", count), ("offset", offset)], count, cancellationToken);

    private async Task<IReadOnlyList<Article>> QueryArticlesAsync(string sql, (string, object?)[] parameters, int count, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PostgresDatabase.Command(connection, null, sql, parameters);
        var articles = new List<Article>(Math.Min(count, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            articles.Add(Deserialize(reader.GetString(0)));
        }
        return articles;
    }

    private static (int Kind, string Slug) FeedOf(TermRef? term) => term is { } t ? ((int)t.Kind, t.Slug) : (0, "");

    private static string Serialize(Article article) => JsonSerializer.Serialize(article, ArticleJson.Stored.Article);

    private static Article Deserialize(string doc) =>
        JsonSerializer.Deserialize(doc, ArticleJson.Stored.Article) ?? throw new InvalidDataException("An article document is null.");
}
