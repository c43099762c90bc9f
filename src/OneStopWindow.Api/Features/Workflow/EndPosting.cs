using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Workflow;

public sealed record EndPosting(Guid StepId) : ICommand<bool>;

/// <summary>
/// Ends a public posting when its period has passed (by the injected clock, so a Hangfire job that fires
/// early changes nothing and the step stays pending). Objections filed during the posting stay on the
/// dossier; the officer sees their count on the timeline. Through the transition engine (EndPosting, role system): a
/// dossier withdrawn during posting stays withdrawn. Idempotent through the guarded step update.
/// </summary>
public sealed class EndPostingHandler(Db db, TimeProvider clock, DossierTransitions transitions) : ICommandHandler<EndPosting, bool>
{
    public async ValueTask<bool> Handle(EndPosting cmd, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var now = clock.GetUtcNow();   // taken holding the writer's turn, so the timeline's times follow the order of commits
        var d = await tx.SingleOrDefaultAsync<Row>(Sql.Load, new { cmd.StepId });
        if (d is null || d.StepStatus != "pending" || d.DueAt > now) return false;
        var subject = new TransitionSubject(d.Id, d.Version, Enum.Parse<DossierStatus>(d.Status), d.Target);
        var actor = TransitionActor.System("posting", cmd.StepId);
        var objections = await tx.ScalarAsync<long>(Sql.Objections, new { d.Id });
        var outcome = await transitions.ApplyAsync(tx, subject, DossierAction.EndPosting, actor, new ActionPlan("PostingEnded",
            objections == 0 ? "Hết thời gian niêm yết, không có ý kiến phản ánh." : $"Hết thời gian niêm yết, có {objections} ý kiến phản ánh cần xem xét.")
        {
            UpdateSql = Sql.Finish,
        }, now);
        if (outcome == TransitionOutcome.Stale) return false;
        // A dossier withdrawn during posting: the step closes with a note for staff and the dossier stays as it is.
        var completed = outcome == TransitionOutcome.Applied
            ? await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = cmd.StepId, Now = now }) > 0
            : await DossierTransitions.SkipStepAsync(tx, subject, DossierAction.EndPosting, actor, now);
        if (!completed) return false;
        await tx.CommitAsync();
        return true;
    }

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public string Language { get; init; } = "vi";
        public string? ApplicantEmail { get; init; }
        public Notifications.NotificationTarget Target => new(Id, Code, Language, ApplicantEmail is not null);
        public string Status { get; init; } = "";
        public int Version { get; init; }
        public string StepStatus { get; init; } = "";
        public DateTimeOffset? DueAt { get; init; }
    }

    internal static class Sql
    {
        public const string Load = """
            SELECT d.id, d.code, d.language, d.applicant_email, d.status, d.version, s.status AS step_status, s.due_at
            FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id
            WHERE s.id = @StepId
            """;
        public const string Objections = "SELECT COUNT(*) FROM objection WHERE dossier_id = @Id";
        public const string Finish = """
            UPDATE dossier SET status = @Status, posting_done = 1, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
