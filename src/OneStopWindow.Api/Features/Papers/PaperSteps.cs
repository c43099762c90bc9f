using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Workflow;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>The workflow step that renders one queued paper (<c>Paper:{id}</c>, queued by <see cref="PaperQueue"/>).</summary>
public sealed class RenderPaperStep() : StepKind(WorkflowSteps.Paper, takesArgument: true)
{
    public override async Task RunAsync(StepRun run) =>
        await run.Mediator.Send(new RenderPaper(run.StepId, Guid.ParseExact(run.Argument, "N")), run.Ct);
}
