namespace NewsFeed.Tests;

/// <summary>
/// The server sets glibc's allocator up at start (<see cref="NativeHeap"/>): on Linux with glibc (every machine this project runs on)
/// both settings must take, or the variant flood's working set grows by the native memory glibc keeps.
/// </summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void ReturnLargeBlocksOnFree_OnGlibc_TakesBothSettings()
    {
        if (!OperatingSystem.IsLinux())
        {
            // Not the platform it is for: it does nothing, and says so.
            Assert.False(NativeHeap.ReturnLargeBlocksOnFree());
            return;
        }
        Assert.True(NativeHeap.ReturnLargeBlocksOnFree());
        // Idempotent: the app calls it once, a test host may call it again.
        Assert.True(NativeHeap.ReturnLargeBlocksOnFree());
    }
}
