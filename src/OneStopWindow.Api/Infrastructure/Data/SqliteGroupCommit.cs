using System.Data.Common;

namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>
/// Group commit for the embedded database. SQLite has one writer and, with synchronous=FULL, one fsync per commit; a
/// submission or a workflow step is a few small inserts, so the fsync is most of its cost. Writers of this process
/// therefore take turns (a gate, no busy-waiting inside SQLite) inside one BEGIN IMMEDIATE transaction, each in its own
/// savepoint: a unit that fails rolls back to its savepoint and nobody else's work is touched. When a unit commits and
/// another writer is already waiting, the group stays open for it; the last unit of the group (or the one that fills it)
/// commits everything at once, and every unit's <see cref="DbWrite.CommitAsync"/> returns only after that durable commit.
/// A group whose closer never came (a waiter gave up) is closed by any of its waiting members within 50 ms.
/// </summary>
internal sealed class SqliteGroupCommit(Db db, TimeSpan busyTimeout)
{
    /// <summary>Units per group at most, so one group's latency stays bounded under a steady stream of writers.</summary>
    private const int MaxUnits = 64;

    private readonly SemaphoreSlim gate = new(1, 1);
    private Group? open;   // guarded by gate
    private int waiting;

    private sealed class Group(DbConnection connection, DbTransaction transaction)
    {
        public DbConnection Connection { get; } = connection;
        public DbTransaction Transaction { get; } = transaction;
        public int Units { get; set; }
        public int Pending { get; set; }
        public Exception? Broken { get; set; }
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Writers of this process queued for their turn (tests wait on it instead of sleeping).</summary>
    internal int Waiting => Volatile.Read(ref waiting);

    public async Task<DbWrite> BeginAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref waiting);
        bool entered;
        try { entered = await gate.WaitAsync(busyTimeout, ct); }
        finally { Interlocked.Decrement(ref waiting); }
        if (!entered) throw new DatabaseBusyException($"The database writer stayed busy for {busyTimeout.TotalSeconds} s.");
        try
        {
            var group = open ??= await StartAsync(ct);
            var savepoint = "u" + (++group.Units).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await group.Transaction.SaveAsync(savepoint, ct);
            return new DbWrite(group.Connection, group.Transaction, commit => LeaveAsync(group, savepoint, commit), ct);
        }
        catch
        {
            // Close what the group holds (earlier units wait for it) rather than leave the write lock taken.
            if (open is { } group) await CloseAsync(group);
            else gate.Release();
            throw;
        }
    }

    private async Task<Group> StartAsync(CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        try
        {
            return new Group(connection, await connection.BeginTransactionAsync(ct));   // BEGIN IMMEDIATE
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends one unit (called with the gate held); a committed unit then waits for its group's durable commit.</summary>
    private async Task LeaveAsync(Group group, string savepoint, bool commit)
    {
        try
        {
            if (!commit) await group.Transaction.RollbackAsync(savepoint);
            await group.Transaction.ReleaseAsync(savepoint);
        }
#pragma warning disable CA1031 // A savepoint that cannot be ended breaks the group: it is rolled back and every unit in it fails.
        catch (Exception e)
#pragma warning restore CA1031
        {
            group.Broken = e;
        }
        if (commit) group.Pending++;
        // Keep the group open for a writer already waiting, as long as a committed unit is there to close it if that
        // writer gives up (see WaitForCommitAsync); otherwise commit now.
        if (group.Broken is null && group.Pending > 0 && Volatile.Read(ref waiting) > 0 && group.Units < MaxUnits) gate.Release();
        else await CloseAsync(group);
        if (commit) await WaitForCommitAsync(group);
    }

    /// <summary>Commits (or, when broken, rolls back) the open group and hands the gate on. Called with the gate held.</summary>
    private async Task CloseAsync(Group group)
    {
        open = null;
        try
        {
            if (group.Broken is null)
            {
                await group.Transaction.CommitAsync();
                group.Committed.TrySetResult();
            }
            else
            {
                await group.Transaction.RollbackAsync();
                group.Committed.TrySetException(new InvalidOperationException("The group transaction was rolled back.", group.Broken));
            }
        }
#pragma warning disable CA1031 // The commit's failure is every unit's failure: each one receives it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            group.Committed.TrySetException(e);
        }
        finally
        {
            await group.Transaction.DisposeAsync();
            await group.Connection.DisposeAsync();
            gate.Release();
        }
    }

    private async Task WaitForCommitAsync(Group group)
    {
        while (!group.Committed.Task.IsCompleted)
        {
            if (await Task.WhenAny(group.Committed.Task, Task.Delay(50)) == group.Committed.Task) break;
            // Nobody is writing and the group is still open: the writer it was left for gave up. Close it ourselves.
            if (!await gate.WaitAsync(0)) continue;
            if (ReferenceEquals(open, group)) await CloseAsync(group);
            else gate.Release();
        }
        await group.Committed.Task;
    }
}
