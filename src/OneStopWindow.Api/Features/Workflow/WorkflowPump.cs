using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Workflow;

public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>How often an idle worker looks for due steps written by other nodes (steps written in the same process wake it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Steps claimed per batch: one database round trip claims them all.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Steps of one batch run concurrently (registry and notification steps wait on the network).</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    /// <summary>A claimed step still pending after this long is claimed again: its worker died or hung.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RedispatchAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A step that threw waits this long times its attempts (at most <see cref="MaxRetryDelay"/>) before its next try.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Runs the workflow on worker nodes. API nodes never touch the job storage on the request path: a state change
/// and its pending steps commit in one transaction, and this loop claims due steps in batches (one UPDATE with a
/// claim token), runs each through its handler, and polls again. A claimed step that is still pending after
/// <see cref="WorkflowOptions.RedispatchAfter"/> (its process died) is claimed again; a step that throws is retried
/// later with a growing delay and stays pending until it succeeds, so nothing is lost. Every step handler is
/// idempotent (guarded update of the step in its own transaction), so a second run changes nothing.
/// </summary>
public sealed partial class WorkflowPump(IServiceScopeFactory scopes, Db db, WorkflowSignal signal, TimeProvider clock, StepKinds kinds,
    IEnumerable<OutboxFollower> followers, IOptions<WorkflowOptions> options, IOptions<DatabaseOptions> database, ILogger<WorkflowPump> logger) : BackgroundService
{
    /// <summary>The steps' loop and one loop per outbox follower, side by side until the host stops.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([RunStepsAsync(stoppingToken), .. followers.Select(f => FollowAsync(f, stoppingToken))]);

    private async Task FollowAsync(OutboxFollower follower, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await follower.RunRoundAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round is retried after the interval; the outbox keeps everything.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFollowerFailed(logger, e, follower.Name);
            }
            try { await Task.Delay(follower.Interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task RunStepsAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var o = options.Value;
        // On the embedded database only this process runs workers (WorkerLock), so every claim found at start-up
        // belongs to a process that died: take them back at once. On SQL Server other workers may be busy with theirs.
        var afterRestart = database.Value.Provider == DatabaseProvider.Sqlite;
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await RunBatchAsync(afterRestart, stoppingToken);
                afterRestart = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must survive a database outage; the next poll tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogBatchFailed(logger, e);
            }
            if (claimed < o.BatchSize)
            {
                try { await signal.WaitAsync(o.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims and runs one batch of due steps; returns how many were claimed.</summary>
    public async Task<int> RunBatchAsync(bool afterRestart, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        // A claim is a lease on a process's liveness, so it runs on the wall clock; due times are business time.
        var wall = TimeProvider.System.GetUtcNow();
        var claim = Guid.CreateVersion7();
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            var count = await tx.ExecuteAsync(ClaimStatement(db.Dialect),
                new { Claim = claim, Now = now, ClaimedAt = wall, Before = afterRestart ? wall : wall - o.RedispatchAfter, Limit = o.BatchSize });
            await tx.CommitAsync();
            if (count == 0) return 0;
        }
        var steps = await db.QueryAsync<ClaimedStep>(Sql.Claimed, new { Claim = claim }, ct);
        await Parallel.ForEachAsync(steps, new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism, CancellationToken = ct },
            async (step, token) => await RunStepAsync(step, token));
        return steps.Count;
    }

    private async Task RunStepAsync(ClaimedStep step, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (kinds.Resolve(step.Kind) is not { } found)
            {
                LogUnknownKind(logger, step.Kind, step.Id);
                return;
            }
            await found.Kind.RunAsync(new StepRun(scope.ServiceProvider.GetRequiredService<IMediator>(), db, clock, step.Id, found.Argument, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the claim expires and another run takes the step.
        }
#pragma warning disable CA1031 // One failing step must not stop the batch; it is retried later.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var delay = TimeSpan.FromTicks(Math.Min(options.Value.RetryDelay.Ticks * (step.Attempts + 1), options.Value.MaxRetryDelay.Ticks));
            LogStepFailed(logger, e, step.Kind, step.Id, step.Attempts + 1, delay);
            try
            {
                await using var tx = await db.BeginWriteAsync(CancellationToken.None);
                await tx.ExecuteAsync(Sql.RetryLater, new { step.Id, DueAt = clock.GetUtcNow() + delay });
                await tx.CommitAsync();
            }
#pragma warning disable CA1031 // If even this fails, the claim expires and the step is claimed again.
            catch (Exception inner)
#pragma warning restore CA1031
            {
                LogBatchFailed(logger, inner);
            }
        }
    }

    /// <summary>Marks up to @Limit due steps with the claim token @Claim in one statement.</summary>
    public static string ClaimStatement(ISqlDialect dialect) =>
        $"UPDATE workflow_step SET claim = @Claim, enqueued_at = @ClaimedAt WHERE id IN ({dialect.Limit(Sql.Due)})";

    private sealed record ClaimedStep
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public int Attempts { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow batch failed; the next poll retries")]
    private static partial void LogBatchFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox follower {Follower} failed a round; retrying after its interval")]
    private static partial void LogFollowerFailed(ILogger logger, Exception e, string follower);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow step {Kind} {StepId} failed (attempt {Attempt}); retried in {Delay}")]
    private static partial void LogStepFailed(ILogger logger, Exception e, string kind, Guid stepId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow step {StepId} has unknown kind {Kind}; left pending")]
    private static partial void LogUnknownKind(ILogger logger, string kind, Guid stepId);

    internal static class Sql
    {
        /// <summary>Due, pending, and not claimed by a live run.</summary>
        public const string Due = """
            SELECT id FROM workflow_step
            WHERE status = 'pending' AND (due_at IS NULL OR due_at <= @Now) AND (enqueued_at IS NULL OR enqueued_at < @Before)
            ORDER BY created_at
            """;
        public const string Claimed = "SELECT id, kind, attempts FROM workflow_step WHERE claim = @Claim AND status = 'pending'";
        public const string RetryLater = """
            UPDATE workflow_step SET attempts = attempts + 1, due_at = @DueAt, enqueued_at = NULL, claim = NULL
            WHERE id = @Id AND status = 'pending'
            """;
    }
}
