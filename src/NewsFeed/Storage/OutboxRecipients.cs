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

    private readonly SemaphoreSlim _written = new(0, 1);

    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>Messages were committed: wakes a dispatcher waiting in <see cref="WaitForWritesAsync"/>.</summary>
    public void Written()
    {
        try
        {
            _written.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    /// <summary>Waits until <see cref="Written"/> is called or <paramref name="timeout"/> passes.</summary>
    public async Task WaitForWritesAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _written.WaitAsync(timeout, cancellationToken);
}
