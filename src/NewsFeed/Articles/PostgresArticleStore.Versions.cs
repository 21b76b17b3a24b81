using NewsFeed.Storage;

namespace NewsFeed.Articles;

/// <summary>
/// Feed versions across instances. A write's version is the store's revision it took (handed out in commit
/// order), kept per feed in <c>feed_changes.version</c> and sent to every instance in the write's NOTIFY. Each
/// instance keeps the versions it heard in memory and answers from there while its listener listens; when the
/// listener is down it reads the stored version of the feed (and throws while the database is down, so the
/// feed cache serves its stale copy); when the listener (re)connects every feed moves to the committed revision.
/// Every version a store hands out only ever grows, so a cache never takes an older page for a newer one.
/// </summary>
internal sealed partial class PostgresArticleStore : IPostgresChangeSubscriber
{
    private const string StoreName = "articles";

    private readonly FeedVersionMap<(int Kind, string Slug)> _versions = new();

    string IPostgresChangeSubscriber.Store => StoreName;

    public async ValueTask<long> VersionOfAsync(TermRef? term, CancellationToken cancellationToken)
    {
        var feed = FeedOf(term);
        if (_listener is { IsListening: true })
        {
            return _versions.Current(feed);
        }
        await using var connection = await _database.OpenAsync(cancellationToken);
        var stored = await PostgresDatabase.ScalarAsync(connection, null, "SELECT version FROM feed_changes WHERE kind = @kind AND slug = @slug;",
            [("kind", feed.Kind), ("slug", feed.Slug)], cancellationToken) as long? ?? 0;
        _versions.Raise(feed, stored);
        return _versions.Current(feed);
    }

    void IPostgresChangeSubscriber.Changed(PostgresChange change)
    {
        if (change.Feeds is null)
        {
            _versions.RaiseFloor(change.Version);
            return;
        }
        foreach (var key in change.Feeds)
        {
            if (ParseFeed(key) is { } feed) _versions.Raise(feed, change.Version);
        }
    }

    void IPostgresChangeSubscriber.Listening(long floor) => _versions.RaiseFloor(floor);

    /// <summary>After this instance's own commit: its feeds move at once, before the notification comes back.</summary>
    private void Committed(IEnumerable<(int Kind, string Slug)> feeds, long revision)
    {
        foreach (var feed in feeds) _versions.Raise(feed, revision);
    }

    /// <summary>A feed as a notification names it: "kind:slug" (kind 0 with slug "" is the latest feed).</summary>
    private static string FeedKey((int Kind, string Slug) feed) => $"{feed.Kind}:{feed.Slug}";

    private static (int Kind, string Slug)? ParseFeed(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(key.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var kind)
            ? (kind, key[(colon + 1)..])
            : null;
    }

    private static PostgresChange ChangeOf(IEnumerable<(int Kind, string Slug)> feeds, long revision) =>
        new(StoreName, revision, [.. feeds.Select(FeedKey)]);
}
