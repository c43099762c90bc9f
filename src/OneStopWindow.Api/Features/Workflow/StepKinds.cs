using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Features.Registries;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Jobs;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Features.Workflow;

/// <summary>What a step's run gets: the message bus of its scope, the step and its argument (the part after a prefix).</summary>
public sealed record StepRun(IMediator Mediator, Db Db, TimeProvider Clock, Guid StepId, string Argument, CancellationToken Ct);

/// <summary>
/// A kind of workflow step, registered as a type with the handler that runs it (see <see cref="StepKinds"/>). Its stored
/// name is <see cref="Name"/>, or <see cref="Name"/> followed by an argument when <see cref="TakesArgument"/>
/// ("Notify:{notification id}"). The handler loads its step, checks that it is still pending and completes it in the
/// transaction of its effect, so a second run changes nothing.
/// </summary>
public abstract class StepKind(string name, bool takesArgument)
{
    public string Name { get; } = name;

    public bool TakesArgument { get; } = takesArgument;

    public abstract Task RunAsync(StepRun run);

    /// <summary>Completes a step whose effect has its own bookkeeping (a notification's status): done once, whoever ran it.</summary>
    protected static async Task CompleteAsync(StepRun run)
    {
        await using var tx = await run.Db.BeginWriteAsync(run.Ct);
        await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = run.StepId, Now = run.Clock.GetUtcNow() });
        await tx.CommitAsync();
    }
}

public sealed class IntakeStep() : StepKind(WorkflowSteps.Intake, takesArgument: false)
{
    public override async Task RunAsync(StepRun run) => await run.Mediator.Send(new RunIntake(run.StepId), run.Ct);
}

public sealed class EndPostingStep() : StepKind(WorkflowSteps.EndPosting, takesArgument: false)
{
    public override async Task RunAsync(StepRun run) => await run.Mediator.Send(new EndPosting(run.StepId), run.Ct);
}

public sealed class RegistryCheckStep() : StepKind(WorkflowSteps.Registry, takesArgument: true)
{
    public override async Task RunAsync(StepRun run) => await run.Mediator.Send(new CheckRegistry(run.StepId, run.Argument), run.Ct);
}

public sealed class NotificationStep() : StepKind(WorkflowSteps.Notify, takesArgument: true)
{
    public override async Task RunAsync(StepRun run)
    {
        await run.Mediator.Send(new SendNotification(Guid.ParseExact(run.Argument, "N")), run.Ct);
        await CompleteAsync(run);
    }
}

/// <summary>
/// Every registered step kind, looked up by a stored step's kind. Built once at start-up: two kinds with one name, or a
/// name that is the prefix of another, stop the process before it runs a step.
/// </summary>
public sealed class StepKinds
{
    private readonly Dictionary<string, StepKind> exact;
    private readonly List<StepKind> prefixed;

    public StepKinds(IEnumerable<StepKind> kinds)
    {
        All = kinds.OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
        foreach (var a in All)
            foreach (var b in All.Where(b => !ReferenceEquals(a, b) && b.Name.StartsWith(a.Name, StringComparison.Ordinal) && (a.TakesArgument || a.Name == b.Name)))
                throw new InvalidOperationException($"Workflow step kinds '{a.Name}' and '{b.Name}' overlap.");
        exact = All.Where(k => !k.TakesArgument).ToDictionary(k => k.Name, StringComparer.Ordinal);
        prefixed = All.Where(k => k.TakesArgument).ToList();
    }

    public IReadOnlyList<StepKind> All { get; }

    public (StepKind Kind, string Argument)? Resolve(string stored)
    {
        if (exact.TryGetValue(stored, out var kind)) return (kind, "");
        var p = prefixed.FirstOrDefault(k => stored.StartsWith(k.Name, StringComparison.Ordinal) && stored.Length > k.Name.Length);
        return p is null ? null : (p, stored[p.Name.Length..]);
    }
}

public static class WorkflowSetup
{
    /// <summary>The dossier workflow: its options, step kinds, the deadline watch, and on worker nodes the pump.</summary>
    public static IServiceCollection AddWorkflow(this IServiceCollection services, NodeRole role)
    {
        services.AddSettings<WorkflowOptions>(WorkflowOptions.Section);
        services.AddSingleton<WorkflowSignal>();
        services.AddTransient<WatchDeadlinesJob>();
        services.AddSingleton<IWorkerSchedule, DeadlineWatchSchedule>();
        if (role.RunsWorkers) services.AddHostedService<WorkflowPump>();
        services.AddSingleton<StepKind, IntakeStep>();
        services.AddSingleton<StepKind, EndPostingStep>();
        services.AddSingleton<StepKind, RegistryCheckStep>();
        services.AddSingleton<StepKind, NotificationStep>();
        services.AddSingleton<StepKinds>();
        return services;
    }
}
