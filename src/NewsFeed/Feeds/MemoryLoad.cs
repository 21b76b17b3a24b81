namespace NewsFeed.Feeds;

/// <summary>
/// How much of the memory this process may use is in use, as the GC saw it at its last collection. Under a
/// heap hard limit (<c>DOTNET_GCHeapHardLimit</c>, or a container's memory limit, which sets one) the GC
/// measures its committed memory against that limit; otherwise the load is of the memory available to the
/// process (the machine's, or its cgroup's). Reading it is cheap (no collection), and it is read only on a
/// cold render, never for a cached feed. Not sealed: tests make memory short by overriding
/// <see cref="Percent"/> rather than by exhausting it.
/// </summary>
internal class MemoryLoad
{
    private static readonly TimeSpan NudgeInterval = TimeSpan.FromSeconds(1);
    private long _lastNudge;

    /// <summary>The memory load, 0 to 100, at the GC's last collection.</summary>
    public virtual double Percent()
    {
        var info = GC.GetGCMemoryInfo();
        return info.TotalAvailableMemoryBytes > 0 ? 100.0 * info.MemoryLoadBytes / info.TotalAvailableMemoryBytes : 0;
    }

    /// <summary>
    /// Called when a render was refused for memory. The large buffers of finished renders are garbage on the
    /// large object heap, which only a full collection frees; once renders stop, little else allocates enough
    /// to bring one about, and the load the GC last saw would refuse renders long after the memory was free.
    /// So ask for a background (non-blocking) full collection, at most once a second.
    /// </summary>
    public virtual void Refused()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastNudge);
        if (now - last >= NudgeInterval.TotalMilliseconds && Interlocked.CompareExchange(ref _lastNudge, now, last) == last)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);
        }
    }
}
