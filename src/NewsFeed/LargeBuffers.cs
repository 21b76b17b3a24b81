using System.Buffers;

namespace NewsFeed;

/// <summary>
/// The pool of the process's large working buffers: feed renders and their compressed forms
/// (<see cref="Feeds.RenderBuffer"/>), and the stored documents of long stories read for a render. Its own pool, not
/// <see cref="ArrayPool{T}.Shared"/>, which keeps one buffer of each size per thread that ever returned one and up
/// to 32 more per core: when renders ran on any thread-pool thread (they have threads of their own now,
/// <see cref="Feeds.RenderThreads"/>, but compressed forms are still made on the requests' threads), a flood of cold
/// renders left the shared pool holding about 30 one-megabyte buffers that no render was using. This one keeps at
/// most <see cref="BuffersPerSize"/> of each size (the work that rents them runs a few at a time:
/// <c>Feeds:MaxConcurrentRenders</c>), and none over 8 MB.
/// </summary>
internal static class LargeBuffers
{
    private const int BuffersPerSize = 2;

    public static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 8 * 1024 * 1024, maxArraysPerBucket: BuffersPerSize);
}
