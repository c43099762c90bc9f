using Hangfire;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Workflow;

public static class WorkflowSteps
{
    public const string Intake = "Intake";
    public const string EndPosting = "EndPosting";

    /// <summary>Prefix of a notification step; the notification id follows.</summary>
    public const string Notify = "Notify:";

    /// <summary>Prefix of a registry check step; the registry's name follows (see <c>RegistryNames</c>).</summary>
    public const string Registry = "Registry:";
}

internal static class WorkflowSql
{
    public const string InsertStep = """
        INSERT INTO workflow_step (id, dossier_id, kind, status, attempts, created_at, enqueued_at, completed_at, due_at)
        VALUES (@Id, @DossierId, @Kind, 'pending', 0, @Now, NULL, NULL, @DueAt)
        """;
    public const string DueAt = "SELECT id, due_at FROM workflow_step WHERE id = @Id";
    public const string MarkEnqueued = "UPDATE workflow_step SET enqueued_at = @Now WHERE id = @Id AND status = 'pending'";
    public const string Complete = """
        UPDATE workflow_step SET status = 'done', completed_at = @Now, attempts = attempts + 1
        WHERE id = @Id AND status = 'pending'
        """;
}

/// <summary>
/// Hands committed workflow steps to Hangfire: due now → enqueued, due later (a posting period) →
/// scheduled. The application database is the source of truth: the step rows were written with the state
/// change, so if this process dies before or during the enqueue, <see cref="ReconcileWorkflowHandler"/>
/// enqueues them again. Jobs carry the step id only.
/// </summary>
public sealed class WorkflowDispatcher(IBackgroundJobClient jobs, Db db, TimeProvider clock, ILogger<WorkflowDispatcher> logger)
{
    public Task DispatchAsync(Guid stepId, CancellationToken ct) => DispatchAsync([stepId], ct);

    public async Task DispatchAsync(IReadOnlyCollection<Guid> stepIds, CancellationToken ct)
    {
        if (stepIds.Count == 0) return;
        try
        {
            var now = clock.GetUtcNow();
            foreach (var id in stepIds)
            {
                var step = await db.SingleOrDefaultAsync<StepDue>(WorkflowSql.DueAt, new { Id = id }, ct);
                if (step?.DueAt is { } at && at > now) jobs.Schedule<WorkflowStepJob>(j => j.Run(id, CancellationToken.None), at - now);
                else jobs.Enqueue<WorkflowStepJob>(j => j.Run(id, CancellationToken.None));
            }
            await using var tx = await db.BeginWriteAsync(ct);
            foreach (var id in stepIds) await tx.ExecuteAsync(WorkflowSql.MarkEnqueued, new { Id = id, Now = now });
            await tx.CommitAsync();
        }
#pragma warning disable CA1031 // Best effort by design: the steps are durable and reconciliation re-enqueues them.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Could not enqueue {Count} workflow steps; reconciliation will retry them", stepIds.Count);
        }
    }

    private sealed record StepDue
    {
        public Guid Id { get; init; }
        public DateTimeOffset? DueAt { get; init; }
    }
}
