using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Workflow;

/// <param name="AfterRestart">True once when a worker starts: every step enqueued before then may have died with the old process.</param>
public sealed record ReconcileWorkflow(bool AfterRestart = false) : ICommand<int>;

public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>A pending step whose job was enqueued longer ago than this is enqueued again.</summary>
    public TimeSpan RedispatchAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Cron of the reconciliation job (Hangfire's smallest period is a minute).</summary>
    public string ReconcileCron { get; set; } = "* * * * *";

    /// <summary>At most this many steps are re-enqueued per run.</summary>
    public int ReconcileBatch { get; set; } = 500;
}

/// <summary>
/// Re-enqueues steps that are still pending and were never enqueued (crash between commit and enqueue)
/// or were enqueued too long ago (job lost with its storage, or fetched by a process that was killed —
/// the SQLite job storage would show it again only after its invisibility timeout). Reads state from
/// data, not from the trigger time, so one run after an outage does all the missed work — including
/// delayed steps (a posting period) whose due time has passed. Duplicate jobs
/// are harmless: every step is idempotent.
/// </summary>
public sealed class ReconcileWorkflowHandler(Db db, IBackgroundJobClient jobs, TimeProvider clock, IOptions<WorkflowOptions> options,
    ILogger<ReconcileWorkflowHandler> logger) : ICommandHandler<ReconcileWorkflow, int>
{
    public async ValueTask<int> Handle(ReconcileWorkflow cmd, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stale = await db.QueryAsync<Guid>(db.Dialect.Limit(Sql.Stale),
            new { Now = now, Before = cmd.AfterRestart ? now : now - options.Value.RedispatchAfter, Limit = options.Value.ReconcileBatch }, ct);
        foreach (var stepId in stale) jobs.Enqueue<WorkflowStepJob>(j => j.Run(stepId, CancellationToken.None));
        if (stale.Count > 0)
        {
            await using var tx = await db.BeginWriteAsync(ct);
            foreach (var id in stale) await tx.ExecuteAsync(WorkflowSql.MarkEnqueued, new { Id = id, Now = clock.GetUtcNow() });
            await tx.CommitAsync();
        }
        if (stale.Count > 0) logger.LogWarning("Reconciliation re-enqueued {Count} pending workflow steps", stale.Count);
        return stale.Count;
    }

    internal static class Sql
    {
        public const string Stale = """
            SELECT id FROM workflow_step
            WHERE status = 'pending' AND (due_at IS NULL OR due_at <= @Now) AND (enqueued_at IS NULL OR enqueued_at < @Before)
            ORDER BY created_at
            """;
    }
}
