using System.Globalization;
using Npgsql;
using NewsFeed.Storage;
using static NewsFeed.Storage.PostgresDatabase;

namespace NewsFeed.Articles;

/// <summary>The one write path of the shared article store, and what a write moves: terms, feed versions, Last-Modified stamps.</summary>
internal sealed partial class PostgresArticleStore
{
    /// <summary>The advisory lock class of article writes (with the article id's hash): writes of one article queue, across instances.</summary>
    private const int ArticleLockClass = 0x4E46_4172; // "NFAr"

    public Task<UpsertResult> UpsertAsync(Article article, CancellationToken cancellationToken) =>
        WriteAsync(article, createOnly: false, announce: true, cancellationToken)!;

    public Task<UpsertResult> UpsertAsync(Article article, bool announce, CancellationToken cancellationToken) =>
        WriteAsync(article, createOnly: false, announce, cancellationToken)!;

    public Task<UpsertResult?> CreateAsync(Article article, CancellationToken cancellationToken) =>
        WriteAsync(article, createOnly: true, announce: true, cancellationToken);

    /// <summary>
    /// The one write path, as <see cref="SqliteArticleStore"/>'s. Instances write at once here, so instead of a
    /// process's lock the transaction takes an advisory lock on the article's id first: the read of the stored row
    /// and the write that follows cannot interleave with another write of that article, from any instance (a
    /// create racing a create of the same id finds the row and returns null). The Unchanged path writes nothing.
    /// </summary>
    private async Task<UpsertResult?> WriteAsync(Article article, bool createOnly, bool announce, CancellationToken cancellationToken)
    {
        var doc = Serialize(article);
        var now = _time.GetUtcNow();
        var id = article.Id.ToString();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@class, hashtext(@id));", [("class", ArticleLockClass), ("id", id)], cancellationToken);

        long? seq = null;
        Article? previous = null;
        var previousWasVisible = false;
        var everPublic = false;
        await using (var find = Command(connection, transaction, "SELECT seq, doc, status, visible_from FROM articles WHERE id = @id;", [("id", id)]))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
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
        // An article retracted before it was ever public is kept as a draft: retracting a draft must not make its terms public feeds.
        var rowStatus = article.Status == ArticleStatus.Retracted && !everPublic ? (int)ArticleStatus.Draft : (int)article.Status;

        (string, object?)[] row =
        [
            ("id", id), ("status", rowStatus), ("published", article.Published.ToUnixTimeMilliseconds()),
            ("updated", article.Updated.ToUnixTimeMilliseconds()), ("visible", article.VisibleFrom.ToUnixTimeMilliseconds()), ("doc", doc),
        ];
        seq = Convert.ToInt64(await ScalarAsync(connection, transaction, seq is null
            ? """
              INSERT INTO articles (id, status, published_at, updated_at, visible_from, doc)
              VALUES (@id, @status, @published, @updated, @visible, @doc) RETURNING seq;
              """
            : """
              UPDATE articles SET status = @status, published_at = @published, updated_at = @updated,
                  visible_from = @visible, doc = @doc
              WHERE id = @id RETURNING seq;
              """, row, cancellationToken), CultureInfo.InvariantCulture);

        await WriteTermsAsync(connection, transaction, seq.Value, article, rowStatus, cancellationToken);
        // Cache versions and Last-Modified move for every feed the article is or was listed in, embargoed
        // or not (a render must learn of a new embargo lift); readers and hubs hear only of visible changes.
        var previousListed = previous is not null && (previousWasVisible || previous.Status == ArticleStatus.Published);
        var listed = FeedsOf(previousListed ? previous : null, rowStatus == (int)ArticleStatus.Draft ? null : article);
        var visible = FeedsOf(previousWasVisible ? previous : null, article.Status == ArticleStatus.Published && article.VisibleFrom <= now ? article : null);
        var changed = visible.Select(feed => feed.Kind == 0 ? (TermRef?)null : new TermRef((TermKind)feed.Kind, feed.Slug)).ToList();
        if (announce)
        {
            var topics = ArticleFeedTopics.OfVisible(previousWasVisible ? previous : null, article.Status == ArticleStatus.Published && article.VisibleFrom <= now ? article : null);
            await PostgresOutbox.AddAsync(connection, transaction, _outbox, topics, now, cancellationToken);
        }
        long revision = 0;
        if (listed.Count > 0)
        {
            revision = await NextRevisionAsync(connection, transaction, cancellationToken);
            await StampFeedChangesAsync(connection, transaction, listed, revision, cancellationToken);
            await ChangeOf(listed, revision).NotifyAsync(connection, transaction, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        Committed(listed, revision);
        if (announce && changed.Count > 0) _outbox.Written();
        return new UpsertResult(previous is null ? UpsertOutcome.Created : UpsertOutcome.Updated, previous, changed);
    }

    public async Task<IReadOnlyList<Article>> AnnounceLiftsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The mark's row lock: an instance announcing at the same time waits, then finds the mark moved.
        var mark = Convert.ToInt64(await ScalarAsync(connection, transaction,
            "SELECT value FROM meta WHERE key = 'lifts_announced_up_to' FOR UPDATE;", [], cancellationToken), CultureInfo.InvariantCulture);
        var upTo = now.ToUnixTimeMilliseconds();
        if (upTo <= mark) return [];
        var lifted = new List<Article>();
        if (mark > 0)
        {
            // ix_articles_embargo; visible_from > published_at: only an embargo delays an article past its publication.
            await using var find = Command(connection, transaction, """
                SELECT doc FROM articles
                WHERE status = 1 AND visible_from > @after AND visible_from <= @upTo AND visible_from > published_at
                ORDER BY visible_from, seq;
                """, [("after", mark), ("upTo", upTo)]);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) lifted.Add(Deserialize(reader.GetString(0)));
        }
        var topics = lifted.SelectMany(article => ArticleFeedTopics.OfVisible(null, article)).Distinct(StringComparer.Ordinal);
        await PostgresOutbox.AddAsync(connection, transaction, _outbox, topics, now, cancellationToken);
        await ExecuteAsync(connection, transaction, "UPDATE meta SET value = @upTo WHERE key = 'lifts_announced_up_to';", [("upTo", upTo)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (lifted.Count > 0) _outbox.Written();
        return lifted;
    }

    private static Task<int> WriteTermsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long seq, Article article, int rowStatus, CancellationToken cancellationToken)
    {
        var terms = article.Terms().ToList();
        return ExecuteAsync(connection, transaction, """
            DELETE FROM article_terms WHERE seq = @seq;
            INSERT INTO article_terms (kind, slug, seq, name, status, published_at, visible_from)
            SELECT t.kind, t.slug, @seq, t.name, @status, @published, @visible
            FROM unnest(@kinds::integer[], @slugs::text[], @names::text[]) AS t(kind, slug, name)
            ON CONFLICT DO NOTHING;
            """,
            [
                ("seq", seq), ("status", rowStatus), ("published", article.Published.ToUnixTimeMilliseconds()), ("visible", article.VisibleFrom.ToUnixTimeMilliseconds()),
                ("kinds", terms.Select(term => (int)term.Kind).ToArray()), ("slugs", terms.Select(term => term.Slug).ToArray()), ("names", terms.Select(term => term.Name).ToArray()),
            ],
            cancellationToken);
    }

    /// <summary>Latest and every term of the given versions (null: that version counts for none).</summary>
    private static HashSet<(int Kind, string Slug)> FeedsOf(Article? previous, Article? article) =>
        [.. new[] { previous, article }.OfType<Article>().SelectMany(version => version.Feeds()).Select(FeedOf)];

    /// <summary>Moves the change time (Last-Modified) and the version of each feed, under the revision's lock.</summary>
    private Task<int> StampFeedChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, HashSet<(int Kind, string Slug)> feeds, long revision, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO feed_changes (kind, slug, changed_at, version)
            SELECT f.kind, f.slug, @now, @version FROM unnest(@kinds::integer[], @slugs::text[]) AS f(kind, slug)
            ON CONFLICT (kind, slug) DO UPDATE SET changed_at = GREATEST(feed_changes.changed_at, EXCLUDED.changed_at), version = EXCLUDED.version;
            """,
            [("now", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("version", revision), ("kinds", feeds.Select(feed => feed.Kind).ToArray()), ("slugs", feeds.Select(feed => feed.Slug).ToArray())],
            cancellationToken);
}
