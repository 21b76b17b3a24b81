using System.Collections.Concurrent;

namespace NewsFeed.Storage;

/// <summary>
/// The feed versions one instance knows of a store shared by several: per feed, the highest version it heard
/// (its own commits, other instances' notifications, a stored version it read), and a floor under them all that
/// moves when it cannot know which feeds changed (the listener reconnected, a change too large to name its
/// feeds). Versions only ever grow, so a cache never takes an older page for a newer one.
/// </summary>
internal sealed class FeedVersionMap<TFeed>(IEqualityComparer<TFeed>? comparer = null)
    where TFeed : notnull
{
    private readonly ConcurrentDictionary<TFeed, long> _versions = new(comparer);
    private long _floor;

    public long Current(TFeed feed) => Math.Max(Interlocked.Read(ref _floor), _versions.GetValueOrDefault(feed));

    public void Raise(TFeed feed, long version) =>
        _versions.AddOrUpdate(feed, version, (_, known) => Math.Max(known, version));

    public void RaiseFloor(long floor)
    {
        var known = Interlocked.Read(ref _floor);
        while (floor > known)
        {
            var seen = Interlocked.CompareExchange(ref _floor, floor, known);
            if (seen == known) return;
            known = seen;
        }
    }
}
