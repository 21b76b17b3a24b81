using System.Globalization;
using Microsoft.Data.Sqlite;
using NewsFeed.Storage;

namespace NewsFeed.Articles;

/// <summary>The one write path of the article store, and what a write moves: terms, feed versions, Last-Modified stamps.</summary>
internal sealed partial class SqliteArticleStore
{
    public Task<UpsertResult> UpsertAsync(Article article, CancellationToken cancellationToken) =>
        WriteAsync(article, createOnly: false, announce: true, cancellationToken)!;

    public Task<UpsertResult> UpsertAsync(Article article, bool announce, CancellationToken cancellationToken) =>
        WriteAsync(article, createOnly: false, announce, cancellationToken)!;

    public Task<UpsertResult?> CreateAsync(Article article, CancellationToken cancellationToken) =>
        WriteAsync(article, createOnly: true, announce: true, cancellationToken);

    /// <summary>
    /// The one write path, under the write lock so a read of the stored row and the write that follows
    /// it cannot interleave with another write. The row's <c>status</c> column is the article's
    /// status, except that an article retracted before it was ever public is kept as 0 (like a draft):
    /// retracting a draft must not make its sections, authors and tags into public feeds.
    /// </summary>
    private async Task<UpsertResult?> WriteAsync(Article article, bool createOnly, bool announce, CancellationToken cancellationToken)
    {
        var doc = Serialize(article);
        var now = _time.GetUtcNow();
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _file.OpenForWriteAsync(cancellationToken);
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
                        // Nothing changed: no write, no version moves, caches stay warm.
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
            var changed = visible.Select(feed => feed.Kind == 0 ? (TermRef?)null : new TermRef((TermKind)feed.Kind, feed.Slug)).ToList();
            if (announce)
            {
                var topics = ArticleFeedTopics.OfVisible(previousWasVisible ? previous : null, article.Status == ArticleStatus.Published && article.VisibleFrom <= now ? article : null);
                await SqliteOutbox.AddAsync(connection, transaction, _outbox, topics, now, cancellationToken);
            }
            var written = Convert.ToInt64(await SqliteFile.ScalarAsync(connection, transaction, "UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value;", [], cancellationToken), CultureInfo.InvariantCulture);
            await transaction.CommitAsync(cancellationToken);
            foreach (var feed in listed)
            {
                _versions[feed] = written;
            }
            if (written != Interlocked.Read(ref _written) + 1)
            {
                // Another process wrote in between (the import command): which feeds it touched is unknown, so all are stale.
                Interlocked.Exchange(ref _floor, written);
            }
            Interlocked.Exchange(ref _written, written);
            if (announce && changed.Count > 0) _outbox.Written();
            return new UpsertResult(previous is null ? UpsertOutcome.Created : UpsertOutcome.Updated, previous, changed);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<Article>> AnnounceLiftsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _file.OpenForWriteAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var mark = Convert.ToInt64(await SqliteFile.ScalarAsync(connection, transaction,
                "SELECT value FROM meta WHERE key = 'lifts_announced_up_to';", [], cancellationToken), CultureInfo.InvariantCulture);
            var upTo = now.ToUnixTimeMilliseconds();
            if (upTo <= mark) return [];
            var lifted = new List<Article>();
            if (mark > 0)
            {
                await using var find = connection.CreateCommand();
                find.Transaction = transaction;
                // ix_articles_embargo; visible_from > published_at: only an embargo delays an article past its publication.
                find.CommandText = """
                    SELECT doc FROM articles
                    WHERE status = 1 AND visible_from > $after AND visible_from <= $upTo AND visible_from > published_at
                    ORDER BY visible_from;
                    """;
                find.Parameters.AddWithValue("$after", mark);
                find.Parameters.AddWithValue("$upTo", upTo);
                await using var reader = await find.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) lifted.Add(Deserialize(reader.GetString(0)));
            }
            var topics = lifted.SelectMany(article => ArticleFeedTopics.OfVisible(null, article)).Distinct(StringComparer.Ordinal);
            await SqliteOutbox.AddAsync(connection, transaction, _outbox, topics, now, cancellationToken);
            await SqliteFile.ExecuteAsync(connection, transaction, "UPDATE meta SET value = $upTo WHERE key = 'lifts_announced_up_to';", [("$upTo", upTo)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (lifted.Count > 0) _outbox.Written();
            return lifted;
        }
        finally
        {
            _writeLock.Release();
        }
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
}
