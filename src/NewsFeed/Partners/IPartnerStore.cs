using NewsFeed.Articles;

namespace NewsFeed.Partners;

/// <summary>
/// The partner registry with each partner's poll state, and the items partners gave us: the storage seam
/// beside <see cref="Articles.IArticleStore"/> (SQLite on the embedded default; a shared store for a cluster).
/// Every write that changes what a partner's feeds show also writes, in its transaction, the outbox messages
/// (<see cref="Storage.IOutbox"/>) of the all-partners feed and the partner's own.
/// </summary>
internal interface IPartnerStore
{
    /// <summary>
    /// The version of one partner's feed, or of the all-partners feed (null): a change stamp that moves on every
    /// committed write that changes what the feed shows (a poll that changed items, a PUT or DELETE of a partner).
    /// From memory while the store knows every write, as <see cref="Articles.IArticleStore.VersionOfAsync"/>.
    /// </summary>
    ValueTask<long> VersionOfAsync(string? partnerId, CancellationToken cancellationToken);

    /// <summary>When a write last changed the partner's feed (null: any partner's), if known.</summary>
    ValueTask<DateTimeOffset?> ChangedAtAsync(string? partnerId, CancellationToken cancellationToken);

    /// <summary>Adds the registry file's partners, once in the life of the database (later, the admin API owns the list).</summary>
    Task<int> SeedOnceAsync(IEnumerable<Partner> partners, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<PartnerStatus>> ListAsync(CancellationToken cancellationToken);

    Task<PartnerStatus?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> enabled partners whose next poll is due at <paramref name="now"/>, soonest
    /// first, for <paramref name="owner"/> until <paramref name="now"/> + <paramref name="lease"/>: no other instance
    /// claims them meanwhile. A partner whose lease expired (its instance was killed) can be claimed again.
    /// </summary>
    Task<IReadOnlyList<string>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Claims one partner whatever its schedule ("poll now"); false when another instance holds its lease.</summary>
    Task<bool> TryClaimAsync(string partnerId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Ends <paramref name="owner"/>'s lease on one partner (its poll is saved), or on all of them (null: shutdown).</summary>
    Task ReleaseAsync(string owner, string? partnerId, CancellationToken cancellationToken);

    /// <summary>Adds a partner, due at once; false when the id is taken.</summary>
    Task<bool> AddAsync(Partner partner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a partner's configuration; false when there is none. A new URL forgets the old one's
    /// validators; enabling a partner clears why it was disabled and makes it due at once. The stored items
    /// take the new name, attribution and section at once, and the partner's feeds (and sections) move.
    /// </summary>
    Task<bool> UpdateAsync(Partner partner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores what one poll of <paramref name="polled"/> came to, in one transaction, and says how it ended:
    /// <see cref="PollOutcome.Unknown"/> when the partner was removed meanwhile (nothing written);
    /// <see cref="PollOutcome.Updated"/> when stored items changed; else <paramref name="outcome"/>. When an
    /// operator changed the partner's configuration meanwhile, only the health fields are merged (the poll
    /// answered for a configuration that is gone: its items, validators, schedule, URL move and 410 are
    /// dropped, and the partner stays due for a poll of the new one). Otherwise <paramref name="updated"/>
    /// (<paramref name="polled"/> with a permanent move or a 410 applied), <paramref name="state"/> and the
    /// <paramref name="items"/> (if any) are written.
    /// </summary>
    Task<PollOutcome> SavePollAsync(Partner polled, Partner updated, PartnerState state, IReadOnlyList<StoredPartnerItem>? items,
        int itemCap, TimeSpan retention, DateTimeOffset now, PollOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Removes a partner and its items (an operator's decision, never the poller's); its feeds move even when it had none.</summary>
    Task<bool> RemoveAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the items of one successful fetch for a partner (nothing if there is no such partner): new items
    /// are added, edited ones replaced in place, items the fetch left out marked unlisted; then the partner is
    /// trimmed to its newest <paramref name="itemCap"/> items and items unlisted for longer than
    /// <paramref name="retention"/> dropped. True when anything the feeds show changed.
    /// </summary>
    Task<bool> SaveItemsAsync(string partnerId, IReadOnlyList<StoredPartnerItem> items, int itemCap, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The newest items of one partner, of a section (<paramref name="section"/>), or of every partner, below
    /// <paramref name="before"/> in feed order (<see cref="RowKey"/> over <c>sort_at</c>; <see cref="RowKey.Top"/>
    /// for the first page), at most <paramref name="count"/>. One index seek: O(count) at any depth; rows are
    /// read as the caller asks for them.
    /// </summary>
    IAsyncEnumerable<KeyedRow<StoredPartnerItem>> ReadNewestAsync(string? partnerId, string? section, RowKey before, int count, CancellationToken cancellationToken);

    /// <summary>The sort keys alone of the newest <paramref name="count"/> items, as <see cref="ReadNewestAsync"/> orders them, without any document.</summary>
    IAsyncEnumerable<RowKey> ReadNewestKeysAsync(string? partnerId, string? section, int count, CancellationToken cancellationToken);
}

/// <summary>The outbox topics of partner feeds: their path stems below <c>feeds/</c> (the Feeds folder builds the same paths).</summary>
internal static class PartnerFeedTopics
{
    /// <summary>The all-partners feed and <paramref name="partnerId"/>'s own.</summary>
    public static string[] Of(string partnerId) => ["partners", "partners/" + partnerId];
}
