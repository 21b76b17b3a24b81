namespace NewsFeed.Feeds;

/// <summary>
/// How much of the memory this process may use its GC heap takes, as the GC saw it at its last collection: the
/// heap's size (live objects and fragmentation) against the memory available to the process, which is the heap
/// hard limit when one is set (<c>DOTNET_GCHeapHardLimit</c>, or a container's memory limit, which sets one), else
/// the machine's or its cgroup's memory. Not <see cref="GCMemoryInfo.MemoryLoadBytes"/>: that is the machine's
/// physical memory load even under a hard limit (measured: 966 MB "load" against a 512 MB limit while the heap held
/// 9 MB), which would refuse every render. Reading it is cheap (no collection), and it is read only on a cold
/// render, never for a cached feed. Not sealed: tests make memory short by overriding <see cref="Percent"/>
/// rather than by exhausting it.
/// </summary>
internal class MemoryLoad
{
    private static readonly TimeSpan NudgeInterval = TimeSpan.FromSeconds(1);
    private long _lastNudge;

    /// <summary>The memory load, 0 to 100, at the GC's last collection.</summary>
    public virtual double Percent()
    {
        var info = GC.GetGCMemoryInfo();
        return info.TotalAvailableMemoryBytes > 0 ? 100.0 * info.HeapSizeBytes / info.TotalAvailableMemoryBytes : 0;
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
