using Hangfire;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Workflow;

public static class WorkflowSteps
{
    public const string Intake = "Intake";
}

internal static class WorkflowSql
{
    public const string InsertStep = """
        INSERT INTO workflow_step (id, dossier_id, kind, status, attempts, created_at, enqueued_at, completed_at)
        VALUES (@Id, @DossierId, @Kind, 'pending', 0, @Now, NULL, NULL)
        """;
    public const string MarkEnqueued = "UPDATE workflow_step SET enqueued_at = @Now WHERE id = @Id AND status = 'pending'";
    public const string Complete = """
        UPDATE workflow_step SET status = 'done', completed_at = @Now, attempts = attempts + 1
        WHERE id = @Id AND status = 'pending'
        """;
}

/// <summary>
/// Hands a committed workflow step to Hangfire. The application database is the source of truth:
/// the step row was written with the state change, so if this process dies before or during the
/// enqueue, <see cref="ReconcileWorkflowJob"/> enqueues it again. Jobs carry the step id only.
/// </summary>
public sealed class WorkflowDispatcher(IBackgroundJobClient jobs, Db db, TimeProvider clock, ILogger<WorkflowDispatcher> logger)
{
    public async Task DispatchAsync(Guid stepId, CancellationToken ct)
    {
        try
        {
            jobs.Enqueue<IntakeJob>(j => j.Run(stepId, CancellationToken.None));
            await using var tx = await db.BeginWriteAsync(ct);
            await tx.ExecuteAsync(WorkflowSql.MarkEnqueued, new { Id = stepId, Now = clock.GetUtcNow() });
            await tx.CommitAsync();
        }
#pragma warning disable CA1031 // Best effort by design: the step is durable and reconciliation re-enqueues it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Could not enqueue workflow step {StepId}; reconciliation will retry it", stepId);
        }
    }
}
