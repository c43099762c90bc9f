using Hangfire;
using Mediator;

namespace OneStopWindow.Api.Features.Workflow;

/// <summary>Hangfire entry point for the intake step. Holds no rules: it sends <see cref="RunIntake"/>.</summary>
public sealed class IntakeJob(IMediator mediator)
{
    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Intake step {0}")]
    public async Task Run(Guid stepId, CancellationToken ct) => await mediator.Send(new RunIntake(stepId), ct);
}

/// <summary>Recurring safety net: re-enqueues workflow steps whose job never ran or was lost.</summary>
public sealed class ReconcileWorkflowJob(IMediator mediator)
{
    public const string RecurringId = "reconcile-workflow";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task Run(CancellationToken ct) => await mediator.Send(new ReconcileWorkflow(), ct);
}
