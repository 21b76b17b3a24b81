using System.Diagnostics;

namespace NewsFeed.Reliability;

/// <summary>A stretch of time in which something was down: an instance from its kill until it was ready again, or the database from its stop until it and every instance were ready.</summary>
internal sealed record FaultWindow(string What, DateTimeOffset Start, DateTimeOffset End)
{
    public bool IsDatabase => What == DatabaseRestart;

    public const string DatabaseRestart = "PostgreSQL restart";

    public TimeSpan Length => End - Start;

    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => from <= End && to >= Start;

    public bool Contains(DateTimeOffset at) => at >= Start && at <= End;
}

/// <summary>
/// The faults of the cluster phase, after a quiet first fifth of the run, one at a time so never all instances are
/// down together: SIGKILLs of a random instance at random moments (each restarted at once, the next kill only once it is ready), spread so at least
/// <c>kills</c> of them fit in the run, and one restart of PostgreSQL half-way (a fast stop, a few seconds down,
/// a start on the same port). It records every fault window.
/// </summary>
internal sealed class ClusterFaults(ClusterInstances instances, ThrowawayPostgres? database, Random random)
{
    /// <summary>How long PostgreSQL stays down: long enough that instances notice and readers lean on their caches.</summary>
    public static readonly TimeSpan DatabaseDowntime = TimeSpan.FromSeconds(3);

    public List<FaultWindow> Windows { get; } = [];

    /// <summary>Kill times, for the partner poll audit (a poll cut off by a kill never completed).</summary>
    public List<DateTimeOffset> Kills => [.. Windows.Where(w => !w.IsDatabase).Select(w => w.Start)];

    /// <summary>Everything that went wrong with the faults themselves (an instance that did not come back).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>
    /// Runs the faults until <paramref name="duration"/> has passed and at least <paramref name="kills"/> kills are done.
    /// <paramref name="beforeDatabaseStops"/> runs before PostgreSQL stops (to quiet writers and warm caches);
    /// <paramref name="whileDatabaseDown"/> runs once it has stopped and gets the task of its return (database and every
    /// instance ready), for readers to lean on the caches meanwhile.
    /// </summary>
    public async Task RunAsync(TimeSpan duration, int kills, Func<Task> beforeDatabaseStops, Func<Task, Task> whileDatabaseDown, CancellationToken stop)
    {
        // The first fifth is quiet: an instance takes seconds to come back, so with the kills close together most of
        // the rest is inside some fault window, and publish → visible is measured outside them.
        var quiet = duration / 5;
        try
        {
            await Task.Delay(quiet, stop);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        duration -= quiet;
        var clock = Stopwatch.StartNew();
        var restartTime = TimeSpan.FromSeconds(3);
        var killed = 0;
        var databaseRestarted = database is null;
        while (!stop.IsCancellationRequested && (clock.Elapsed < duration || killed < kills))
        {
            // Spread what is left over the time that is left, leaving room for the restarts themselves.
            var faultsLeft = Math.Max(1, kills - killed) + (databaseRestarted ? 0 : 1);
            var spare = duration - clock.Elapsed - (restartTime * faultsLeft);
            var slot = spare > TimeSpan.Zero ? spare / faultsLeft : TimeSpan.Zero;
            var pause = TimeSpan.FromSeconds(0.3) + (slot * (0.2 + (random.NextDouble() * 1.2)));
            try
            {
                await Task.Delay(pause < slot * 1.4 ? pause : slot, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!databaseRestarted && (clock.Elapsed > duration / 2 || killed >= kills))
            {
                await RestartDatabaseAsync(beforeDatabaseStops, whileDatabaseDown);
                databaseRestarted = true;
                continue;
            }
            if (killed >= kills && clock.Elapsed >= duration) break;
            var name = ClusterInstances.Names[random.Next(ClusterInstances.Names.Length)];
            var took = await KillAndRestartAsync(name);
            restartTime = (restartTime + took) / 2;
            killed++;
        }
    }

    private async Task<TimeSpan> KillAndRestartAsync(string name)
    {
        var start = DateTimeOffset.UtcNow;
        instances.Kill(name);
        try
        {
            await instances.StartAsync(name);
        }
        catch (Exception error) when (error is InvalidOperationException or TimeoutException)
        {
            Problems.Add($"instance {name} did not come back after its kill at {start:HH:mm:ss.fff}: {error.Message}");
            // One more try, so one bad start does not end the phase with two instances.
            await instances.StartAsync(name);
        }
        var end = DateTimeOffset.UtcNow;
        Windows.Add(new FaultWindow($"kill {name}", start, end));
        Console.WriteLine($"  killed {name} at {start:HH:mm:ss.fff}, ready again after {(end - start).TotalSeconds:F1} s");
        return end - start;
    }

    private async Task RestartDatabaseAsync(Func<Task> beforeDatabaseStops, Func<Task, Task> whileDatabaseDown)
    {
        await beforeDatabaseStops();
        var start = DateTimeOffset.UtcNow;
        await database!.StopAsync();
        var back = Task.Run(async () =>
        {
            await Task.Delay(DatabaseDowntime);
            await database.StartServerAsync();
            if (!await instances.WaitAllReadyAsync(TimeSpan.FromSeconds(60)))
            {
                Problems.Add("not every instance was ready within 60 s of PostgreSQL's return");
            }
        });
        // Only once it is down: a write let through while it stops could still land, and move the cached feeds.
        await whileDatabaseDown(back);
        await back;
        var end = DateTimeOffset.UtcNow;
        Windows.Add(new FaultWindow(FaultWindow.DatabaseRestart, start, end));
        Console.WriteLine($"  restarted PostgreSQL at {start:HH:mm:ss.fff}: down {DatabaseDowntime.TotalSeconds:F0} s, every instance ready after {(end - start).TotalSeconds:F1} s");
    }
}
