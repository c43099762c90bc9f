namespace OneStopWindow.Api.Features.Dossiers;

// The step table's hand-off, part of the dossier core: a slice that changes a dossier queues the steps that follow
// in its own transaction through these; the workflow slice (WorkflowPump, the step kinds) runs them.

public static class WorkflowSteps
{
    public const string Intake = "Intake";
    public const string EndPosting = "EndPosting";

    /// <summary>Prefix of a notification step; the notification id follows.</summary>
    public const string Notify = "Notify:";

    /// <summary>Prefix of a paper's rendering step; the paper id follows (see <see cref="PaperQueue"/>).</summary>
    public const string Paper = "Paper:";

    /// <summary>Prefix of a registry check step; the registry's name follows (see <c>RegistryNames</c>).</summary>
    public const string Registry = "Registry:";
}

internal static class WorkflowSql
{
    public const string InsertStep = """
        INSERT INTO workflow_step (id, dossier_id, kind, status, attempts, created_at, enqueued_at, completed_at, due_at)
        VALUES (@Id, @DossierId, @Kind, 'pending', 0, @Now, NULL, NULL, @DueAt)
        """;
    public const string Complete = """
        UPDATE workflow_step SET status = 'done', completed_at = @Now, attempts = attempts + 1
        WHERE id = @Id AND status = 'pending'
        """;
}

/// <summary>
/// Wakes this process's workflow pump after a transaction that wrote steps has committed. Only a hint:
/// the step rows are the hand-off, and a pump in another process finds them at its next poll.
/// </summary>
public sealed class WorkflowSignal
{
    private readonly SemaphoreSlim wake = new(0, 1);

    public void StepsWritten()
    {
        if (wake.CurrentCount > 0) return;   // already signalled (checked first: an exception per write is not free)
        try { wake.Release(); } catch (SemaphoreFullException) { }   // signalled meanwhile
    }

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => wake.WaitAsync(timeout, ct);
}

