using Hangfire;
using Mediator;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Workflow;

/// <summary>Hangfire entry point for every workflow step. Holds no rules: it sends the step's message.</summary>
public sealed class WorkflowStepJob(IMediator mediator, Db db, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Workflow step {0}")]
    public async Task Run(Guid stepId, CancellationToken ct)
    {
        var kind = await db.SingleOrDefaultAsync<string>(Sql.Kind, new { Id = stepId }, ct);
        switch (kind)
        {
            case null: return;
            case WorkflowSteps.Intake: await mediator.Send(new RunIntake(stepId), ct); break;
            case WorkflowSteps.EndPosting: await mediator.Send(new EndPosting(stepId), ct); break;
            case var k when k.StartsWith(WorkflowSteps.Registry, StringComparison.Ordinal):
                await mediator.Send(new Registries.CheckRegistry(stepId, k[WorkflowSteps.Registry.Length..]), ct);
                break;
            case var k when k.StartsWith(WorkflowSteps.Notify, StringComparison.Ordinal):
                await mediator.Send(new SendNotification(Guid.ParseExact(k[WorkflowSteps.Notify.Length..], "N")), ct);
                await using (var tx = await db.BeginWriteAsync(ct))
                {
                    await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = stepId, Now = clock.GetUtcNow() });
                    await tx.CommitAsync();
                }
                break;
        }
    }

    internal static class Sql
    {
        public const string Kind = "SELECT kind FROM workflow_step WHERE id = @Id AND status = 'pending'";
    }
}

/// <summary>Recurring safety net: re-enqueues workflow steps whose job never ran or was lost.</summary>
public sealed class ReconcileWorkflowJob(IMediator mediator)
{
    public const string RecurringId = "reconcile-workflow";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task Run(CancellationToken ct) => await mediator.Send(new ReconcileWorkflow(), ct);
}
