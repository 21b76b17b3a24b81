using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NewsFeed.Storage;

/// <summary>
/// Every table of the embedded store, as one ordered list of migrations. Each entry moves the schema one
/// version up (<c>PRAGMA user_version</c>) in a transaction of its own; never edit a shipped entry, add one.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        -- Articles (NewsFeed.Articles.SqliteArticleStore): each article's JSON document beside the columns feeds
        -- filter and sort on; article_terms repeats the sort key per section, author and tag so every feed query
        -- walks one index in order and stops after N rows.
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
        -- Partner feeds (NewsFeed.Partners.SqlitePartnerStore): the registry with each partner's poll state,
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
        """
        -- Work done once, whoever does it (NewsFeed.Storage.IOutbox, partner poll leases, embargo lifts).
        -- The outbox: one message per recipient (a WebSub hub) and topic (a feed's path stem), written in the
        -- transaction of the change it announces; claimed_by/claimed_until is the sender's lease on it.
        CREATE TABLE outbox (
            recipient     TEXT    NOT NULL,
            topic         TEXT    NOT NULL,
            due_at        INTEGER NOT NULL,           -- Unix milliseconds
            created_at    INTEGER NOT NULL,
            attempts      INTEGER NOT NULL DEFAULT 0,
            claimed_by    TEXT,
            claimed_until INTEGER,
            changed_again INTEGER NOT NULL DEFAULT 0,  -- a change came while it was being sent: send again
            last_error    TEXT,
            PRIMARY KEY (recipient, topic)
        ) WITHOUT ROWID;
        CREATE INDEX ix_outbox_due ON outbox (due_at);
        -- A partner poll's lease: the instance polling it, until when.
        ALTER TABLE partners ADD COLUMN lease_owner TEXT;
        ALTER TABLE partners ADD COLUMN lease_until INTEGER;
        -- Embargo lifts announced up to (Unix milliseconds; 0: not yet started).
        INSERT INTO meta (key, value) VALUES ('lifts_announced_up_to', 0);
        """,
        """
        -- Readers (NewsFeed.Readers): per feed (its path stem, every format as one) and UTC day (days since 1970).
        -- Requests, 304s and bytes, added up by every flush.
        CREATE TABLE reader_days (
            feed         TEXT    NOT NULL,
            day          INTEGER NOT NULL,
            requests     INTEGER NOT NULL,
            not_modified INTEGER NOT NULL,
            bytes        INTEGER NOT NULL,
            PRIMARY KEY (feed, day)
        ) WITHOUT ROWID;
        -- Counts per reader: kind 1, the latest subscriber count an aggregator stated that day for one of its
        -- feed-ids ('' when it gives none); kind 2, distinct direct clients of a closed day (feed_id '').
        CREATE TABLE reader_counts (
            feed        TEXT    NOT NULL,
            day         INTEGER NOT NULL,
            kind        INTEGER NOT NULL,
            reader      TEXT    NOT NULL,
            feed_id     TEXT    NOT NULL,
            count       INTEGER NOT NULL,
            reported_at INTEGER NOT NULL,  -- Unix milliseconds of the report kept
            PRIMARY KEY (feed, day, kind, reader, feed_id)
        ) WITHOUT ROWID;
        -- The open day's direct clients, each as an HMAC under that day's key (never an address or a User-Agent);
        -- collapsed into reader_counts and deleted, with the key, once the day has closed.
        CREATE TABLE reader_clients (
            feed   TEXT    NOT NULL,
            day    INTEGER NOT NULL,
            hash   TEXT    NOT NULL,
            reader TEXT    NOT NULL,
            PRIMARY KEY (feed, day, hash)
        ) WITHOUT ROWID;
        CREATE TABLE reader_keys (
            day INTEGER PRIMARY KEY,
            key BLOB    NOT NULL
        );
        """,
    ];

    /// <summary>Creates the file's tables or brings them to the current version; safe to run at every start.</summary>
    public static async Task MigrateAsync(SqliteFile file, CancellationToken cancellationToken)
    {
        await using var connection = await file.OpenAsync(cancellationToken);
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
    }
}
