namespace NewsFeed.Storage;

/// <summary>
/// Who each outbox message goes to (WebSub's hubs, which that feature registers; none by default), and the
/// wake-up a dispatcher waits on. A store writes one outbox row per recipient and topic it changed, in the
/// write's transaction, and calls <see cref="Written"/> after the commit so this process sends at once;
/// other instances hear of it through the store's change notifications or their next look.
/// </summary>
internal sealed class OutboxRecipients(IReadOnlyList<string> names)
{
    public static OutboxRecipients None { get; } = new([]);

    private TaskCompletionSource _nextWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>
    /// Completes at the next <see cref="Written"/>. A dispatcher takes it before it looks for messages, so a write
    /// committed while it looks is not missed when it then waits.
    /// </summary>
    public Task NextWrite => Volatile.Read(ref _nextWrite).Task;

    /// <summary>Messages were committed (here, or, as a notification says, by another instance): wakes every dispatcher.</summary>
    public void Written() =>
        Interlocked.Exchange(ref _nextWrite, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
