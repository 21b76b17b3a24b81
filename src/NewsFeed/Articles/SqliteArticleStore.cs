using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsFeed.Storage;

namespace NewsFeed.Articles;

/// <summary>
/// The embedded article store, on the SQLite file of <see cref="SqliteFile"/> (tables: <see cref="SqliteSchema"/>).
/// Each article is kept as its JSON document beside the columns that feeds filter and sort on;
/// <c>article_terms</c> repeats the sort key per section, author and tag so that every feed query walks one
/// index in order and stops after N rows. This file holds the reads and the feed versions; the one write
/// path is in <c>SqliteArticleStore.Writes.cs</c>.
/// </summary>
internal sealed partial class SqliteArticleStore : IArticleStore, IDisposable
{
    // The feed queries, named so tests can check their query plans. "status = 1" is spelled as a
    // literal so SQLite can use the partial indexes; each seeks to the row below $time/$seq in one index,
    // walks it in order and stops at LIMIT (RowKey: a deep page costs what the first does).
    internal const string NewestSql = $"""
        SELECT published_at, seq, {RowColumns} FROM articles
        WHERE status = 1 AND visible_from <= $now AND (published_at, seq) < ($time, $seq)
        ORDER BY published_at DESC, seq DESC
        LIMIT $count;
        """;

    internal const string NewestInTermSql = $"""
        SELECT t.published_at, t.seq, {RowColumns} FROM article_terms t JOIN articles a ON a.seq = t.seq
        WHERE t.kind = $kind AND t.slug = $slug AND t.status = 1 AND t.visible_from <= $now AND (t.published_at, t.seq) < ($time, $seq)
        ORDER BY t.published_at DESC, t.seq DESC
        LIMIT $count;
        """;

    // The keys alone, from the covering feed indexes (no document is read): where an old ?page=N link starts.
    internal const string NewestKeysSql = """
        SELECT published_at, seq FROM articles
        WHERE status = 1 AND visible_from <= $now
        ORDER BY published_at DESC, seq DESC
        LIMIT $count;
        """;

    internal const string NewestKeysInTermSql = """
        SELECT published_at, seq FROM article_terms
        WHERE kind = $kind AND slug = $slug AND status = 1 AND visible_from <= $now
        ORDER BY published_at DESC, seq DESC
        LIMIT $count;
        """;

    // A term is known once an article carrying it has been public (published or since retracted), so a
    // feed whose last article was retracted stays a feed; drafts and embargoes reveal nothing. The newest
    // visible article names it (one row of ix_terms_newest); only an all-retracted term needs the second lookup.
    internal const string TermNameSql = """
        SELECT COALESCE(
            (SELECT name FROM article_terms
             WHERE kind = $kind AND slug = $slug AND status = 1 AND visible_from <= $now
             ORDER BY published_at DESC, seq DESC LIMIT 1),
            (SELECT name FROM article_terms
             WHERE kind = $kind AND slug = $slug AND status = 2 AND visible_from <= $now LIMIT 1));
        """;

    internal const string NextEmbargoLiftSql = "SELECT MIN(visible_from) FROM articles WHERE status = 1 AND visible_from > $now;";

    private readonly SqliteFile _file;
    private SemaphoreSlim _writeLock => _file.WriteLock;
    // Per-feed versions: the count of committed writes (the file's 'revision') at the last write that touched
    // the feed. Feeds not written by this process since it caught up fall back to _floor, the count when a
    // write by another process was last noticed (which feeds it touched is unknown, so it moves them all).
    private readonly ConcurrentDictionary<(int Kind, string Slug), long> _versions = new();
    private long _written;
    private long _floor;

    private readonly TimeProvider _time;
    private readonly OutboxRecipients _outbox;

    public SqliteArticleStore(SqliteFile file, TimeProvider? time = null, OutboxRecipients? outbox = null)
    {
        _file = file;
        _time = time ?? TimeProvider.System;
        _outbox = outbox ?? OutboxRecipients.None;
    }

    public ValueTask<long> VersionOfAsync(TermRef? term, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Math.Max(Interlocked.Read(ref _floor), _versions.GetValueOrDefault(FeedOf(term))));

    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var stored = await ReadWriteCountAsync(connection, cancellationToken);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // Our own writes move _written in step with the file; only a foreign write leaves it behind.
            if (stored <= Interlocked.Read(ref _written)) return false;
            Interlocked.Exchange(ref _written, stored);
            Interlocked.Exchange(ref _floor, stored);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public IAsyncEnumerable<KeyedRow<Article>> ReadNewestAsync(TermRef? term, DateTimeOffset now, RowKey before, int count, CancellationToken cancellationToken) =>
        ReadRowsAsync(term is null ? NewestSql : NewestInTermSql, term, now, null, before, count, cancellationToken);

    public async IAsyncEnumerable<RowKey> ReadNewestKeysAsync(TermRef? term, DateTimeOffset now, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = NewestCommand(connection, term is null ? NewestKeysSql : NewestKeysInTermSql, term, now, count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new RowKey(reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    private static SqliteCommand NewestCommand(SqliteConnection connection, string sql, TermRef? term, DateTimeOffset now, int count)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$count", count);
        if (term is { } t)
        {
            command.Parameters.AddWithValue("$kind", (int)t.Kind);
            command.Parameters.AddWithValue("$slug", t.Slug);
        }
        return command;
    }

    public async Task<string?> FindTermNameAsync(TermRef term, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // A term is known once an article carrying it has been public (published or since retracted),
        // so a feed whose last article was retracted stays a feed; drafts and embargoes reveal nothing.
        command.CommandText = TermNameSql;
        command.Parameters.AddWithValue("$kind", (int)term.Kind);
        command.Parameters.AddWithValue("$slug", term.Slug);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<TermSummary>> ListTermsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT kind, slug, MAX(name), COUNT(*) FROM article_terms
            WHERE status = 1 AND visible_from <= $now
            GROUP BY kind, slug ORDER BY kind, slug;
            """;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var terms = new List<TermSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            terms.Add(new TermSummary((TermKind)reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
        }
        return terms;
    }

    public async Task<DateTimeOffset?> GetNextEmbargoLiftAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = NextEmbargoLiftSql;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteScalarAsync(cancellationToken) is long next ? DateTimeOffset.FromUnixTimeMilliseconds(next) : null;
    }

    public async Task<DateTimeOffset?> GetFeedChangedAtAsync(TermRef? term, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT changed_at FROM feed_changes WHERE kind = $kind AND slug = $slug;";
        command.Parameters.AddWithValue("$kind", term is { } t ? (int)t.Kind : 0);
        command.Parameters.AddWithValue("$slug", term?.Slug ?? "");
        return await command.ExecuteScalarAsync(cancellationToken) is long changed ? DateTimeOffset.FromUnixTimeMilliseconds(changed) : null;
    }

    public async Task<Article?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM articles WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id.ToString());
        return await command.ExecuteScalarAsync(cancellationToken) is string doc ? Deserialize(doc) : null;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt64(await SqliteFile.ScalarAsync(connection, null, "SELECT COUNT(*) FROM articles;", [], cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<Article>> ListAsync(ArticleStatus? status, int offset, int count, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT doc FROM articles WHERE $status IS NULL OR status = $status
            ORDER BY published_at DESC, seq DESC LIMIT $count OFFSET $offset;
            """;
        command.Parameters.AddWithValue("$status", status is { } s ? (int)s : DBNull.Value);
        command.Parameters.AddWithValue("$count", count);
        command.Parameters.AddWithValue("$offset", offset);
        var articles = new List<Article>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            articles.Add(Deserialize(reader.GetString(0)));
        }
        return articles;
    }

    public void Dispose()
    {
        // This file's pool only: clearing every pool would pull connections from under other stores in the process.
        _file.ClearPool();
    }

    private static async Task<long> ReadWriteCountAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        Convert.ToInt64(await SqliteFile.ScalarAsync(connection, null, "SELECT value FROM meta WHERE key = 'revision';", [], cancellationToken), CultureInfo.InvariantCulture);

    private static string Serialize(Article article) => JsonSerializer.Serialize(article, ArticleJson.Stored.Article);

    private static Article Deserialize(string doc) =>
        JsonSerializer.Deserialize(doc, ArticleJson.Stored.Article) ?? throw new InvalidDataException("An article document is null.");

    private static Article Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ArticleJson.Stored.Article) ?? throw new InvalidDataException("An article document is null.");

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _file.OpenAsync(cancellationToken);
}
