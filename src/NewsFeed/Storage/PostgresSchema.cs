using Npgsql;

namespace NewsFeed.Storage;

/// <summary>
/// Every table of the shared PostgreSQL store, as one ordered list of migrations (the same tables as
/// <see cref="SqliteSchema"/>, with the same columns where they can be: Unix milliseconds as <c>bigint</c>,
/// documents as <c>text</c>, so the two stores' code stays parallel). Each entry moves the schema one version
/// up (a row in <c>schema_version</c>) in a transaction of its own; never edit a shipped entry, add one.
/// Keys that feeds and lists sort by are <c>COLLATE "C"</c>: byte order, as SQLite sorts, whatever the
/// database's locale.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The session-level advisory lock migrations run under ("NewsFeed" in ASCII): N instances starting together migrate once.</summary>
    public const long MigrationLock = 0x4E65_7773_4665_6564;

    private static readonly string[] Migrations =
    [
        """
        -- Articles (NewsFeed.Articles.PostgresArticleStore): each article's JSON document beside the columns feeds
        -- filter and sort on; article_terms repeats the sort key per section, author and tag so every feed query
        -- walks one index in order and stops after N rows.
        CREATE TABLE articles (
            seq          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- never reused
            id           text    COLLATE "C" NOT NULL UNIQUE,
            status       integer NOT NULL,
            published_at bigint  NOT NULL,                  -- Unix milliseconds, UTC
            updated_at   bigint  NOT NULL,
            visible_from bigint  NOT NULL,                  -- max(published, embargo)
            doc          text    NOT NULL                   -- the bytes the store wrote: compared on upsert
        );
        CREATE INDEX ix_articles_newest ON articles (published_at DESC, seq DESC, visible_from) WHERE status = 1;
        CREATE INDEX ix_articles_embargo ON articles (visible_from) WHERE status = 1;

        CREATE TABLE article_terms (
            kind         integer NOT NULL,
            slug         text    COLLATE "C" NOT NULL,
            seq          bigint  NOT NULL,
            name         text    COLLATE "C" NOT NULL,
            status       integer NOT NULL,
            published_at bigint  NOT NULL,
            visible_from bigint  NOT NULL,
            PRIMARY KEY (kind, slug, seq)
        );
        CREATE INDEX ix_terms_newest ON article_terms (kind, slug, published_at DESC, seq DESC, visible_from) WHERE status = 1;
        CREATE INDEX ix_terms_article ON article_terms (seq);
        -- A term whose every article was retracted still names its (empty) feed: found without walking the term.
        CREATE INDEX ix_terms_retracted ON article_terms (kind, slug) WHERE status = 2;

        -- 'revision' is the store's change counter: every write that moves a feed takes the next value as the
        -- version of the feeds it touched. One row, updated last before the commit, so versions are handed out
        -- in commit order (a sequence's are not: two writers can commit in the other order).
        CREATE TABLE meta (key text COLLATE "C" PRIMARY KEY, value bigint NOT NULL);
        INSERT INTO meta (key, value) VALUES ('revision', 0), ('partners_seeded', 0), ('lifts_announced_up_to', 0);

        -- When and at which version each article feed last changed. Kind 0 with slug '' is the latest feed.
        CREATE TABLE feed_changes (
            kind       integer NOT NULL,
            slug       text    COLLATE "C" NOT NULL,
            changed_at bigint  NOT NULL,
            version    bigint  NOT NULL,
            PRIMARY KEY (kind, slug)
        );

        -- Partner feeds (NewsFeed.Partners.PostgresPartnerStore): the registry with each partner's poll state and
        -- poll lease, and the items it gave us, one row per (partner, item key). sort_at orders feeds newest first.
        CREATE TABLE partners (
            id          text   COLLATE "C" PRIMARY KEY,
            config      text   NOT NULL,   -- Partner JSON
            state       text   NOT NULL,   -- PartnerState JSON
            next_poll   bigint NOT NULL,   -- Unix milliseconds
            lease_owner text,              -- the instance polling it, until lease_until
            lease_until bigint
        );
        CREATE INDEX ix_partners_due ON partners (next_poll);
        CREATE TABLE partner_items (
            seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            partner_id     text   COLLATE "C" NOT NULL,
            key            text   COLLATE "C" NOT NULL,
            content_hash   text   NOT NULL,
            section        text   COLLATE "C",
            sort_at        bigint NOT NULL,
            last_seen      bigint NOT NULL,
            unlisted_since bigint,          -- when a successful fetch first left the item out
            doc            text   NOT NULL, -- StoredPartnerItem JSON
            UNIQUE (partner_id, key)
        );
        CREATE INDEX ix_partner_items_newest ON partner_items (sort_at DESC, seq DESC);
        CREATE INDEX ix_partner_items_partner ON partner_items (partner_id, sort_at DESC, seq DESC);
        CREATE INDEX ix_partner_items_section ON partner_items (section, sort_at DESC, seq DESC) WHERE section IS NOT NULL;
        -- When and at which version each partner's feed last changed; partner_id '' is the all-partners feed.
        CREATE TABLE partner_feed_changes (
            partner_id text   COLLATE "C" PRIMARY KEY,
            changed_at bigint NOT NULL,
            version    bigint NOT NULL
        );

        -- The outbox (NewsFeed.Storage.IOutbox): one message per recipient (a WebSub hub) and topic (a feed's path
        -- stem), written in the transaction of the change it announces; claimed_by/claimed_until is the sender's lease.
        CREATE TABLE outbox (
            recipient     text    COLLATE "C" NOT NULL,
            topic         text    COLLATE "C" NOT NULL,
            due_at        bigint  NOT NULL,
            created_at    bigint  NOT NULL,
            attempts      integer NOT NULL DEFAULT 0,
            claimed_by    text,
            claimed_until bigint,
            changed_again boolean NOT NULL DEFAULT false,
            last_error    text,
            PRIMARY KEY (recipient, topic)
        );
        CREATE INDEX ix_outbox_due ON outbox (due_at);
        """,
        """
        -- Readers (NewsFeed.Readers), as in SqliteSchema: per feed and UTC day (days since 1970), requests, 304s and
        -- bytes added up by every instance's flushes; per reader the latest count an aggregator stated (kind 1) or
        -- a closed day's distinct direct clients (kind 2); the open day's clients as keyed hashes, and the day's key.
        CREATE TABLE reader_days (
            feed         text    COLLATE "C" NOT NULL,
            day          integer NOT NULL,
            requests     bigint  NOT NULL,
            not_modified bigint  NOT NULL,
            bytes        bigint  NOT NULL,
            PRIMARY KEY (feed, day)
        );
        CREATE TABLE reader_counts (
            feed        text    COLLATE "C" NOT NULL,
            day         integer NOT NULL,
            kind        integer NOT NULL,
            reader      text    COLLATE "C" NOT NULL,
            feed_id     text    COLLATE "C" NOT NULL,
            count       bigint  NOT NULL,
            reported_at bigint  NOT NULL,
            PRIMARY KEY (feed, day, kind, reader, feed_id)
        );
        CREATE TABLE reader_clients (
            feed   text    COLLATE "C" NOT NULL,
            day    integer NOT NULL,
            hash   text    COLLATE "C" NOT NULL,
            reader text    COLLATE "C" NOT NULL,
            PRIMARY KEY (feed, day, hash)
        );
        CREATE TABLE reader_keys (
            day integer PRIMARY KEY,
            key bytea   NOT NULL
        );
        """,
    ];

    /// <summary>The schema version this code writes.</summary>
    public static int Latest => Migrations.Length;

    /// <summary>
    /// Creates the tables or brings them to the current version; safe to run at every start, and from several
    /// instances at once: they queue on one advisory lock, and each migration is applied by the first.
    /// </summary>
    public static async Task MigrateAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await PostgresDatabase.ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@lock);", [("lock", MigrationLock)], cancellationToken);
        try
        {
            await PostgresDatabase.ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    integer     PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, [], cancellationToken);
            var version = Convert.ToInt32(await PostgresDatabase.ScalarAsync(connection, null,
                "SELECT COALESCE(MAX(version), 0) FROM schema_version;", [], cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            for (var next = version; next < Migrations.Length; next++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await PostgresDatabase.ExecuteAsync(connection, transaction, Migrations[next], [], cancellationToken);
                await PostgresDatabase.ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version) VALUES (@version);", [("version", next + 1)], cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            // Unlocked on this connection before it goes back to the pool (a session lock outlives the command).
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await PostgresDatabase.ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@lock);", [("lock", MigrationLock)], CancellationToken.None);
            }
        }
    }
}
