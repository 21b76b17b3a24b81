namespace NewsFeed;

/// <summary>
/// A counter that requests on every core add to without meeting: one cell per core stripe, each on its own
/// 64-byte cache line, summed only when read. A single interlocked counter bounces its cache line between cores
/// on every request of a hot feed; this one stays in the adding core's cache.
/// </summary>
internal sealed class StripedCounter
{
    /// <summary>Longs per cell: a cache line apart.</summary>
    private const int Spacing = 8;

    private static readonly int Stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Min(Environment.ProcessorCount, 64));

    private readonly long[] _cells = new long[Stripes * Spacing];

    public void Add(long value) =>
        Interlocked.Add(ref _cells[(Thread.GetCurrentProcessorId() & (Stripes - 1)) * Spacing], value);

    public void Increment() => Add(1);

    /// <summary>The total so far.</summary>
    public long Sum()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i += Spacing) sum += Volatile.Read(ref _cells[i]);
        return sum;
    }

    /// <summary>The total added since the last call, leaving zero: nothing added meanwhile is lost.</summary>
    public long Take()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i += Spacing) sum += Interlocked.Exchange(ref _cells[i], 0);
        return sum;
    }
}
