using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NewsFeed.Feeds;

/// <summary>
/// The threads cold renders run on, apart from the thread pool that answers requests: at most
/// <c>Feeds:MaxConcurrentRenders</c> of them, each started the first time a render finds every other one busy,
/// then kept. <see cref="FeedCache"/> hands a render here once <see cref="RenderAdmission"/> has let it start, so
/// this queue never holds more renders than there are threads.
/// </summary>
/// <remarks>
/// Why not the pool: a render is CPU work from start to end (the SQLite store's reads complete synchronously), and
/// with as many renders as cores the pool's threads (one per core by default) were all taken, so a request for a
/// cached feed waited until the pool injected another thread, which it does about twice a second: the reliability
/// suite's variant flood measured cached answers of one to two seconds that way. Raising the pool's minimum by the
/// renders' share cured that but cost every request: the hot path's 304s ran about 4% slower with the two extra
/// pool threads kept awake on 2 cores (docs/benchmarks.md, "Against the bare Kestrel handler"). Renders on threads of their own leave the pool
/// at its default and to the requests. The operating system shares the cores between both, as it did before.
/// Hand-written because the base library has no scheduler of dedicated threads
/// (<see cref="ConcurrentExclusiveSchedulerPair"/> limits concurrency, but on the pool's threads).
/// A render's awaits (a PostgreSQL read) continue here too: the scheduler is current inside it.
/// </remarks>
internal sealed class RenderThreads : TaskScheduler, IDisposable
{
    /// <summary>The scheduler whose thread this is, so work is run inline only on its own threads.</summary>
    [ThreadStatic]
    private static RenderThreads? _ownerOfThisThread;

    private readonly BlockingCollection<Task> _queue = new();
    private readonly int _maxThreads;
    private int _started;
    private int _idle;

    public RenderThreads(IOptions<FeedOptions> options) => _maxThreads = options.Value.MaxConcurrentRenders;

    /// <summary>Render threads started so far (for tests).</summary>
    internal int Started => Volatile.Read(ref _started);

    /// <summary>True on one of this scheduler's threads (for tests).</summary>
    internal bool IsRenderThread => _ownerOfThisThread == this;

    public override int MaximumConcurrencyLevel => _maxThreads;

    /// <summary>Runs <paramref name="render"/> and its continuations on a render thread.</summary>
    public Task<T> Run<T>(Func<Task<T>> render) =>
        Task.Factory.StartNew(render, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    /// <summary>Runs <paramref name="render"/> on a render thread.</summary>
    public Task<T> Run<T>(Func<T> render) =>
        Task.Factory.StartNew(render, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);

    /// <summary>Lets the threads finish what is queued and end; work queued after that runs on the thread pool.</summary>
    public void Dispose() => _queue.CompleteAdding();

    protected override void QueueTask(Task task)
    {
        if (!TryAdd(task))
        {
            // Disposed (the host is stopping): still run it, so nothing awaiting it hangs.
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Scheduler.TryExecuteTask(state.Task), (Scheduler: this, Task: task), preferLocal: false);
            return;
        }
        if (Volatile.Read(ref _idle) == 0)
        {
            StartThread();
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        // Only here: inlined elsewhere, a render would run on a request's pool thread after all.
        _ownerOfThisThread == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private bool TryAdd(Task task)
    {
        try
        {
            return _queue.TryAdd(task);
        }
        catch (InvalidOperationException)
        {
            // Disposed: the queue takes nothing more.
            return false;
        }
    }

    private void StartThread()
    {
        int started;
        do
        {
            started = Volatile.Read(ref _started);
            if (started >= _maxThreads)
            {
                // All busy: the task waits for the first to finish, as a render past the admission limit would.
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _started, started + 1, started) != started);
        new Thread(Work) { IsBackground = true, Name = $"NewsFeed render {started + 1}" }.Start();
    }

    private void Work()
    {
        _ownerOfThisThread = this;
        while (true)
        {
            Interlocked.Increment(ref _idle);
            var taken = _queue.TryTake(out var task, Timeout.Infinite);
            Interlocked.Decrement(ref _idle);
            if (!taken)
            {
                // Disposed and drained.
                return;
            }
            TryExecuteTask(task!);
        }
    }
}
