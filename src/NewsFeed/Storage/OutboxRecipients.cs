namespace NewsFeed.Storage;

/// <summary>
/// Who each outbox message goes to (WebSub's hubs, the edge's purgers: the recipients of every sender the
/// Outbox feature dispatches for; none by default), and the wake-up the dispatcher waits on. A store writes one outbox row per
/// recipient and topic it changed, in the write's transaction, and calls <see cref="Written"/> after the commit
/// so this process sends at once; other instances hear of it through the store's change notifications or their
/// next look.
/// </summary>
/// <param name="names">Every recipient.</param>
/// <param name="archiveNames">The recipients that also take archive topics (a hub has no use for them; a cache does).</param>
internal sealed class OutboxRecipients(IReadOnlyList<string> names, IReadOnlyCollection<string>? archiveNames = null)
{
    public static OutboxRecipients None { get; } = new([]);

    private readonly HashSet<string> _archiveNames = new(archiveNames ?? [], StringComparer.Ordinal);
    private TaskCompletionSource _nextWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>
    /// An archive topic names one month of a feed's RFC 5005 archive (<c>sections/world/archive/2026-11</c>), as
    /// <c>ArticleFeedTopics.ArchiveOf</c> writes it; every other topic is a feed's path stem.
    /// </summary>
    public static bool IsArchiveTopic(string topic) => topic.Contains("/archive/", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="recipient"/> is sent messages of <paramref name="topic"/>.</summary>
    public bool Takes(string recipient, string topic) => !IsArchiveTopic(topic) || _archiveNames.Contains(recipient);

    /// <summary>
    /// Completes at the next <see cref="Written"/>. A dispatcher takes it before it looks for messages, so a write
    /// committed while it looks is not missed when it then waits.
    /// </summary>
    public Task NextWrite => Volatile.Read(ref _nextWrite).Task;

    /// <summary>Messages were committed (here, or, as a notification says, by another instance): wakes every dispatcher.</summary>
    public void Written() =>
        Interlocked.Exchange(ref _nextWrite, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
