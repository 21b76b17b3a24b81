using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace NewsFeed.Articles;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Each article is kept as its JSON document beside
/// the columns that feeds filter and sort on; <c>article_terms</c> repeats the sort key per section,
/// author and tag so that every feed query walks one index in order and stops after N rows.
/// </summary>
public sealed class SqliteArticleStore : IArticleStore, IDisposable
{
    // Each entry moves the schema one version up (PRAGMA user_version); never edit a shipped entry.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE articles (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: a deleted row's number is never reused
            id           TEXT    NOT NULL UNIQUE,
            status       INTEGER NOT NULL,
            published_at INTEGER NOT NULL,                  -- Unix milliseconds, UTC
            updated_at   INTEGER NOT NULL,
            visible_from INTEGER NOT NULL,                  -- max(published, embargo)
            doc          TEXT    NOT NULL
        );
        CREATE INDEX ix_articles_newest ON articles (published_at DESC, seq DESC, visible_from) WHERE status = 1;
        CREATE INDEX ix_articles_embargo ON articles (visible_from) WHERE status = 1;

        CREATE TABLE article_terms (
            kind         INTEGER NOT NULL,
            slug         TEXT    NOT NULL,
            seq          INTEGER NOT NULL,
            name         TEXT    NOT NULL,
            status       INTEGER NOT NULL,
            published_at INTEGER NOT NULL,
            visible_from INTEGER NOT NULL,
            PRIMARY KEY (kind, slug, seq)
        ) WITHOUT ROWID;
        CREATE INDEX ix_terms_newest ON article_terms (kind, slug, published_at DESC, seq DESC, visible_from) WHERE status = 1;
        CREATE INDEX ix_terms_article ON article_terms (seq);

        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('revision', 0);
        """,
        """
        -- When each feed last changed by a write (server clock): an article arriving, changing or
        -- leaving. Kind 0 with slug '' is the latest feed. Feeds use it for Last-Modified.
        CREATE TABLE feed_changes (
            kind       INTEGER NOT NULL,
            slug       TEXT    NOT NULL,
            changed_at INTEGER NOT NULL,
            PRIMARY KEY (kind, slug)
        ) WITHOUT ROWID;
        """,
        """
        -- Partner feeds (NewsFeed.Partners.PartnerStore): the registry with each partner's poll state,
        -- and the items it gave us, one row per (partner, item key). sort_at orders feeds newest first.
        CREATE TABLE partners (
            id        TEXT    PRIMARY KEY,
            config    TEXT    NOT NULL,   -- Partner JSON
            state     TEXT    NOT NULL,   -- PartnerState JSON
            next_poll INTEGER NOT NULL    -- Unix milliseconds
        ) WITHOUT ROWID;
        CREATE TABLE partner_items (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            partner_id   TEXT    NOT NULL,
            key          TEXT    NOT NULL,
            content_hash TEXT    NOT NULL,
            section      TEXT,
            sort_at      INTEGER NOT NULL,
            last_seen    INTEGER NOT NULL,
            doc          TEXT    NOT NULL,  -- StoredPartnerItem JSON
            UNIQUE (partner_id, key)
        );
        CREATE INDEX ix_partner_items_newest ON partner_items (sort_at DESC, seq DESC);
        CREATE INDEX ix_partner_items_partner ON partner_items (partner_id, sort_at DESC, seq DESC);
        CREATE INDEX ix_partner_items_section ON partner_items (section, sort_at DESC, seq DESC) WHERE section IS NOT NULL;
        INSERT INTO meta (key, value) VALUES ('partners_seeded', 0);
        """,
        """
        -- Partner item retention: when a successful fetch first left the item out (null while it is listed).
        ALTER TABLE partner_items ADD COLUMN unlisted_since INTEGER;
        """,
    ];

    // The feed queries, named so tests can check their query plans. "status = 1" is spelled as a
    // literal so SQLite can use the partial indexes; each walks one index in order and stops at LIMIT.
    internal const string NewestSql = """
        SELECT doc FROM articles
        WHERE status = 1 AND visible_from <= $now
        ORDER BY published_at DESC, seq DESC
        LIMIT $count OFFSET $offset;
        """;

    internal const string NewestInTermSql = """
        SELECT a.doc FROM article_terms t JOIN articles a ON a.seq = t.seq
        WHERE t.kind = $kind AND t.slug = $slug AND t.status = 1 AND t.visible_from <= $now
        ORDER BY t.published_at DESC, t.seq DESC
        LIMIT $count OFFSET $offset;
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

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _revision;
    // Per-feed versions: the revision of the last write that touched the feed. Feeds never written since
    // start (or changed by another process) fall back to _floor, the revision when the store was last read whole.
    private readonly ConcurrentDictionary<(int Kind, string Slug), long> _versions = new();
    private long _floor;

    private readonly TimeProvider _time;

    public SqliteArticleStore(string databasePath, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = SqliteFile.ConnectionString(databasePath);
    }

    public long Revision => Interlocked.Read(ref _revision);

    public long VersionOf(TermRef? term) =>
        Math.Max(Interlocked.Read(ref _floor), _versions.GetValueOrDefault(FeedOf(term)));

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var stored = await ReadRevisionAsync(connection, cancellationToken);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // Our own writes move _revision in step with the file; only a foreign write leaves it behind.
            if (stored > Interlocked.Read(ref _revision))
            {
                Interlocked.Exchange(ref _revision, stored);
                Interlocked.Exchange(ref _floor, stored);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // WAL lets readers go on while a write commits; the setting is stored in the file.
        await SqliteFile.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", [], cancellationToken);
        var version = Convert.ToInt32(await SqliteFile.ScalarAsync(connection, null, "PRAGMA user_version;", [], cancellationToken), CultureInfo.InvariantCulture);
        for (var next = version; next < Migrations.Length; next++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await SqliteFile.ExecuteAsync(connection, transaction, Migrations[next], [], cancellationToken);
            await SqliteFile.ExecuteAsync(connection, transaction, $"PRAGMA user_version = {next + 1};", [], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var revision = await ReadRevisionAsync(connection, cancellationToken);
        Interlocked.Exchange(ref _revision, revision);
        Interlocked.Exchange(ref _floor, revision);
    }

    public async Task<IReadOnlyList<Article>> GetNewestAsync(TermRef? term, DateTimeOffset now, int offset, int count, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = term is null ? NewestSql : NewestInTermSql;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$count", count);
        command.Parameters.AddWithValue("$offset", offset);
        if (term is { } t)
        {
            command.Parameters.AddWithValue("$kind", (int)t.Kind);
            command.Parameters.AddWithValue("$slug", t.Slug);
        }

        var articles = new List<Article>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            articles.Add(Deserialize(reader.GetString(0)));
        }
        return articles;
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

    public async Task<IReadOnlyList<Article>> GetLiftedAsync(DateTimeOffset after, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // ix_articles_embargo; visible_from > published_at: only an embargo delays an article past its publication.
        command.CommandText = """
            SELECT doc FROM articles
            WHERE status = 1 AND visible_from > $after AND visible_from <= $upTo AND visible_from > published_at
            ORDER BY visible_from LIMIT 1000;
            """;
        command.Parameters.AddWithValue("$after", after.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$upTo", upTo.ToUnixTimeMilliseconds());
        var articles = new List<Article>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            articles.Add(Deserialize(reader.GetString(0)));
        }
        return articles;
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

    public Task<UpsertResult> UpsertAsync(Article article, CancellationToken cancellationToken) =>
        WriteAsync(article, createOnly: false, cancellationToken)!;

    public Task<UpsertResult?> CreateAsync(Article article, CancellationToken cancellationToken) =>
        WriteAsync(article, createOnly: true, cancellationToken);

    /// <summary>
    /// The one write path, under the write lock so a read of the stored row and the write that follows
    /// it cannot interleave with another write. The row's <c>status</c> column is the article's
    /// status, except that an article retracted before it was ever public is kept as 0 (like a draft):
    /// retracting a draft must not make its sections, authors and tags into public feeds.
    /// </summary>
    private async Task<UpsertResult?> WriteAsync(Article article, bool createOnly, CancellationToken cancellationToken)
    {
        var doc = Serialize(article);
        var now = _time.GetUtcNow();
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await SqliteFile.OpenForWriteAsync(_connectionString, cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

            long? seq = null;
            Article? previous = null;
            var previousWasVisible = false;
            var everPublic = false;
            await using (var find = connection.CreateCommand())
            {
                find.Transaction = transaction;
                find.CommandText = "SELECT seq, doc, status, visible_from FROM articles WHERE id = $id;";
                find.Parameters.AddWithValue("$id", article.Id.ToString());
                await using var reader = await find.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    if (createOnly) return null;
                    seq = reader.GetInt64(0);
                    var previousDoc = reader.GetString(1);
                    previous = Deserialize(previousDoc);
                    // A document written before the store's encoding changed differs in its bytes, not its article.
                    if (previousDoc == doc || Serialize(previous) == doc)
                    {
                        // Nothing changed: no write, no new revision, caches stay warm.
                        return new UpsertResult(UpsertOutcome.Unchanged, previous, []);
                    }
                    var status = reader.GetInt32(2);
                    previousWasVisible = status == (int)ArticleStatus.Published && reader.GetInt64(3) <= now.ToUnixTimeMilliseconds();
                    everPublic = previousWasVisible || status == (int)ArticleStatus.Retracted;
                }
            }
            var rowStatus = article.Status == ArticleStatus.Retracted && !everPublic ? (int)ArticleStatus.Draft : (int)article.Status;

            await using (var write = connection.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = seq is null
                    ? """
                      INSERT INTO articles (id, status, published_at, updated_at, visible_from, doc)
                      VALUES ($id, $status, $published, $updated, $visible, $doc) RETURNING seq;
                      """
                    : """
                      UPDATE articles SET status = $status, published_at = $published, updated_at = $updated,
                          visible_from = $visible, doc = $doc
                      WHERE id = $id RETURNING seq;
                      """;
                write.Parameters.AddWithValue("$id", article.Id.ToString());
                write.Parameters.AddWithValue("$status", rowStatus);
                write.Parameters.AddWithValue("$published", article.Published.ToUnixTimeMilliseconds());
                write.Parameters.AddWithValue("$updated", article.Updated.ToUnixTimeMilliseconds());
                write.Parameters.AddWithValue("$visible", article.VisibleFrom.ToUnixTimeMilliseconds());
                write.Parameters.AddWithValue("$doc", doc);
                seq = Convert.ToInt64(await write.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }

            await WriteTermsAsync(connection, transaction, seq.Value, article, rowStatus, cancellationToken);
            // Cache versions and Last-Modified move for every feed the article is or was listed in, embargoed
            // or not (a render must learn of a new embargo lift); readers and hubs hear only of visible changes.
            var previousListed = previous is not null && (previousWasVisible || previous.Status == ArticleStatus.Published);
            var listed = FeedsOf(previousListed ? previous : null, rowStatus == (int)ArticleStatus.Draft ? null : article);
            var visible = FeedsOf(previousWasVisible ? previous : null, article.Status == ArticleStatus.Published && article.VisibleFrom <= now ? article : null);
            await StampFeedChangesAsync(connection, transaction, listed, cancellationToken);
            var revision = Convert.ToInt64(await SqliteFile.ScalarAsync(connection, transaction, "UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value;", [], cancellationToken), CultureInfo.InvariantCulture);
            await transaction.CommitAsync(cancellationToken);
            foreach (var feed in listed)
            {
                _versions[feed] = revision;
            }
            if (revision != Interlocked.Read(ref _revision) + 1)
            {
                // Another process wrote in between (the import command): which feeds it touched is unknown, so all are stale.
                Interlocked.Exchange(ref _floor, revision);
            }
            Interlocked.Exchange(ref _revision, revision);
            var changed = visible.Select(feed => feed.Kind == 0 ? (TermRef?)null : new TermRef((TermKind)feed.Kind, feed.Slug)).ToList();
            return new UpsertResult(previous is null ? UpsertOutcome.Created : UpsertOutcome.Updated, previous, changed);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _writeLock.Dispose();
        // This file's pool only: clearing every pool would pull connections from under other stores in the process.
        SqliteFile.ClearPool(_connectionString);
    }

    private static async Task WriteTermsAsync(SqliteConnection connection, SqliteTransaction transaction, long seq, Article article, int rowStatus, CancellationToken cancellationToken)
    {
        await SqliteFile.ExecuteAsync(connection, transaction, "DELETE FROM article_terms WHERE seq = $seq;", [("$seq", seq)], cancellationToken);

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT OR IGNORE INTO article_terms (kind, slug, seq, name, status, published_at, visible_from)
            VALUES ($kind, $slug, $seq, $name, $status, $published, $visible);
            """;
        var kind = insert.Parameters.Add("$kind", SqliteType.Integer);
        var slug = insert.Parameters.Add("$slug", SqliteType.Text);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        insert.Parameters.AddWithValue("$seq", seq);
        insert.Parameters.AddWithValue("$status", rowStatus);
        insert.Parameters.AddWithValue("$published", article.Published.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$visible", article.VisibleFrom.ToUnixTimeMilliseconds());

        foreach (var (termKind, termSlug, termName) in article.Terms())
        {
            kind.Value = (int)termKind;
            slug.Value = termSlug;
            name.Value = termName;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Latest and every term of the given versions (null: that version counts for none).</summary>
    private static HashSet<(int Kind, string Slug)> FeedsOf(Article? previous, Article? article) =>
        [.. new[] { previous, article }.OfType<Article>().SelectMany(version => version.Feeds()).Select(FeedOf)];

    private static (int Kind, string Slug) FeedOf(TermRef? term) => term is { } t ? ((int)t.Kind, t.Slug) : (0, "");

    /// <summary>Moves the change time of each feed, for Last-Modified.</summary>
    private async Task StampFeedChangesAsync(SqliteConnection connection, SqliteTransaction transaction, HashSet<(int Kind, string Slug)> feeds, CancellationToken cancellationToken)
    {
        await using var stamp = connection.CreateCommand();
        stamp.Transaction = transaction;
        stamp.CommandText = """
            INSERT INTO feed_changes (kind, slug, changed_at) VALUES ($kind, $slug, $now)
            ON CONFLICT (kind, slug) DO UPDATE SET changed_at = max(changed_at, excluded.changed_at);
            """;
        var kind = stamp.Parameters.Add("$kind", SqliteType.Integer);
        var slug = stamp.Parameters.Add("$slug", SqliteType.Text);
        stamp.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        foreach (var (feedKind, feedSlug) in feeds)
        {
            kind.Value = feedKind;
            slug.Value = feedSlug;
            await stamp.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<long> ReadRevisionAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        Convert.ToInt64(await SqliteFile.ScalarAsync(connection, null, "SELECT value FROM meta WHERE key = 'revision';", [], cancellationToken), CultureInfo.InvariantCulture);

    private static string Serialize(Article article) => JsonSerializer.Serialize(article, ArticleJson.Stored.Article);

    private static Article Deserialize(string doc) =>
        JsonSerializer.Deserialize(doc, ArticleJson.Stored.Article) ?? throw new InvalidDataException("An article document is null.");

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => SqliteFile.OpenAsync(_connectionString, cancellationToken);
}
