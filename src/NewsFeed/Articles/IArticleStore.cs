using System.Globalization;
namespace NewsFeed.Articles;

/// <summary>
/// The storage seam: SQLite on the embedded default, PostgreSQL when several instances share a store.
/// Reads take "now" from the caller so that visibility (status, embargo) follows the app's TimeProvider.
/// </summary>
internal interface IArticleStore
{
    /// <summary>
    /// The version of one feed (term null: the latest feed): a change stamp that moves on every committed write
    /// that adds, changes or removes an article of that feed, and on nothing else, so a write invalidates
    /// exactly the feeds it touched. Caches keep what they rendered at a version and compare. Answered from
    /// memory while the store knows every write (completes synchronously); a store shared by several instances
    /// that has lost its change notifications reads the stored version instead, and throws while the database
    /// is unreachable.
    /// </summary>
    ValueTask<long> VersionOfAsync(TermRef? term, CancellationToken cancellationToken);

    /// <summary>
    /// Notices writes made to the store by another process (an import run beside the server), whose feeds are
    /// unknown, and moves every feed's version. True when there were such writes. Run at start, then periodically.
    /// </summary>
    Task<bool> CatchUpAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The newest visible articles (published, past any embargo) below <paramref name="before"/> in feed order
    /// (<see cref="RowKey"/>; <see cref="RowKey.Top"/> for the first page), newest first, at most
    /// <paramref name="count"/>, of the whole store (<paramref name="term"/> null) or of one section, author or tag.
    /// One index seek: costs O(count) at any depth. Rows are read as the caller asks for them, so a caller that
    /// keeps only part of each article never holds the whole page; and the body of an article whose document is
    /// larger than <see cref="ArticleStoreReads.WholeDocumentChars"/> is left unread (<see cref="KeyedRow{T}.UnreadBody"/>).
    /// </summary>
    IAsyncEnumerable<KeyedRow<Article>> ReadNewestAsync(TermRef? term, DateTimeOffset now, RowKey before, int count, CancellationToken cancellationToken);

    /// <summary>
    /// The sort keys alone of the newest <paramref name="count"/> visible articles, as <see cref="ReadNewestAsync"/>
    /// orders them, read from the feed index without any document: where an old <c>?page=N</c> link starts.
    /// </summary>
    IAsyncEnumerable<RowKey> ReadNewestKeysAsync(TermRef? term, DateTimeOffset now, int count, CancellationToken cancellationToken);

    /// <summary>The display name of a section, author or tag that has ever been public, or null if there is none.</summary>
    Task<string?> FindTermNameAsync(TermRef term, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every section, author and tag with at least one visible article, with its count.</summary>
    Task<IReadOnlyList<TermSummary>> ListTermsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The next time after <paramref name="now"/> at which an embargoed article becomes visible.</summary>
    Task<DateTimeOffset?> GetNextEmbargoLiftAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Announces, once for every instance sharing the store, the articles whose embargo lifted since the last
    /// announcement and up to <paramref name="now"/>: in one transaction, it writes the outbox messages for their
    /// feeds and moves the stored "announced up to" mark, and returns the articles. The very first call only sets
    /// the mark. Lifts that passed while every instance was down are announced by the next call.
    /// </summary>
    Task<IReadOnlyList<Article>> AnnounceLiftsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>When a write last changed the feed of <paramref name="term"/> (null: the latest feed), if ever.</summary>
    Task<DateTimeOffset?> GetFeedChangedAtAsync(TermRef? term, CancellationToken cancellationToken);

    Task<Article?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Creates or replaces the article, durably, in one transaction, which also writes the outbox messages of
    /// the feeds whose readers see a change (<see cref="UpsertResult.ChangedFeeds"/>).
    /// </summary>
    Task<UpsertResult> UpsertAsync(Article article, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="UpsertAsync(Article, CancellationToken)"/>; with <paramref name="announce"/> false no outbox
    /// message is written (the first start's sample articles fill an empty store no one can have subscribed to).
    /// </summary>
    Task<UpsertResult> UpsertAsync(Article article, bool announce, CancellationToken cancellationToken);

    /// <summary>Creates the article, or returns null and writes nothing when its id exists (checked under the write lock).</summary>
    Task<UpsertResult?> CreateAsync(Article article, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Articles of any status (or one), newest published first, for the admin API.</summary>
    Task<IReadOnlyList<Article>> ListAsync(ArticleStatus? status, int offset, int count, CancellationToken cancellationToken);

    /// <summary>
    /// One archive period of a feed (RFC 5005 archives): the visible articles published from <paramref name="from"/>
    /// and below <paramref name="before"/>, newest first, at most <paramref name="count"/>, read one at a time.
    /// One index range.
    /// </summary>
    IAsyncEnumerable<KeyedRow<Article>> ReadArchivedAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, RowKey before, int count, CancellationToken cancellationToken);

    /// <summary>
    /// The whole published article at a feed position: what a feed read left out of a row whose
    /// <see cref="KeyedRow{T}.UnreadBody"/> is not 0. Null when no published article is there any more.
    /// </summary>
    Task<Article?> GetAtAsync(RowKey key, CancellationToken cancellationToken);

    /// <summary>
    /// When the first still-embargoed article published in [<paramref name="from"/>, <paramref name="to"/>) becomes
    /// visible, if any, of any feed: the period's archives may change until then.
    /// </summary>
    Task<DateTimeOffset?> GetPendingLiftAsync(DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The published time of the newest visible article published before <paramref name="before"/> (one index seek).</summary>
    Task<DateTimeOffset?> GetNewestPublishedBeforeAsync(TermRef? term, DateTimeOffset now, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>The published time of the oldest visible article published at or after <paramref name="from"/> (one index seek).</summary>
    Task<DateTimeOffset?> GetOldestPublishedFromAsync(TermRef? term, DateTimeOffset now, DateTimeOffset from, CancellationToken cancellationToken);
}


internal enum TermKind
{
    Section = 1,
    Author = 2,
    Tag = 3,
}

internal readonly record struct TermRef(TermKind Kind, string Slug);

internal sealed record TermSummary(TermKind Kind, string Slug, string Name, int Count);

internal enum UpsertOutcome
{
    Created,
    Updated,
    Unchanged,
}

/// <param name="Previous">The article as it was before the write (null when created).</param>
/// <param name="ChangedFeeds">
/// The feeds whose readers see a change now (null: the latest feed): every feed the article was visible in
/// before the write or is visible in after it. Empty for drafts, still-embargoed articles and unchanged writes.
/// </param>
internal sealed record UpsertResult(UpsertOutcome Outcome, Article? Previous, IReadOnlyList<TermRef?> ChangedFeeds);

/// <summary>The outbox topic of an article feed: its path stem below <c>feeds/</c> (the Feeds folder builds the same paths).</summary>
internal static class ArticleFeedTopics
{
    public static string Of(TermRef? feed) => feed switch
    {
        null => "latest",
        { Kind: TermKind.Section } t => "sections/" + t.Slug,
        { Kind: TermKind.Author } t => "authors/" + t.Slug,
        { } t => "tags/" + t.Slug,
    };

    /// <summary>
    /// One month of a feed's RFC 5005 archive, by the article's publication month in UTC, e.g.
    /// <c>sections/world/archive/2026-11</c>: what an edge cache tags that archive document with.
    /// </summary>
    public static string ArchiveOf(TermRef? feed, DateTimeOffset published) =>
        Of(feed) + "/archive/" + published.ToUniversalTime().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>
    /// What a write changed that readers can see: every feed of the visible versions it replaced and wrote
    /// (null: that version is not visible), and each one's archive month. The outbox sends archive months only
    /// to recipients that take them (edge purgers, not WebSub hubs).
    /// </summary>
    public static IEnumerable<string> OfVisible(Article? replaced, Article? written) =>
        new[] { replaced, written }.OfType<Article>()
            .SelectMany(version => version.Feeds().SelectMany(feed => new[] { Of(feed), ArchiveOf(feed, version.Published) }))
            .Distinct(StringComparer.Ordinal);
}
