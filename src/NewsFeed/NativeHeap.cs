using System.Runtime.InteropServices;

namespace NewsFeed;

/// <summary>
/// Keeps glibc's allocator from holding on to the native memory of large, short-lived blocks. A cold render
/// of long stories has native code allocate and free blocks of hundreds of kilobytes to a few megabytes: SQLite
/// parsing a stored document (json_remove of a long body), the Brotli and zlib encoders' windows and tables.
/// glibc serves such a block with its own mapping and unmaps it on free, but after the first such free it raises
/// its mapping threshold to that block's size (up to 32 MB), and from then on serves them from its per-thread
/// arenas, which return little to the system: under the variant flood of <c>bench/run</c> the process kept about
/// 100 MB more than it used. A fixed threshold (which also turns off that adjustment) gives every large block back
/// when it is freed. The smaller blocks those libraries free are spread over glibc's arenas, up to eight per core
/// by default, each keeping its own free memory; one arena per core (as containerised servers commonly set with
/// <c>MALLOC_ARENA_MAX</c>) kept about 10 MB less in the same flood. Done in process, not with environment
/// variables, so it holds however the server is started. Linux with glibc only; elsewhere (musl has the call as a
/// no-op) nothing changes.
/// </summary>
internal static class NativeHeap
{
    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD in malloc.h
    private const int MmapThresholdBytes = 128 * 1024; // glibc's own starting value
    private const int ArenaMaxParameter = -8; // M_ARENA_MAX

    /// <summary>True when glibc took both settings (mallopt answers 1 for each); false elsewhere.</summary>
    public static bool ReturnLargeBlocksOnFree()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return SetOption(MmapThresholdParameter, MmapThresholdBytes) == 1 & SetOption(ArenaMaxParameter, Environment.ProcessorCount) == 1;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: its allocator is left as it is.
            return false;
        }
    }

    // DllImport, not LibraryImport: that one needs unsafe code allowed in the whole project, for one blittable call.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int SetOption(int parameter, int value);
}
