using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Workflow;

public sealed record EndPosting(Guid StepId) : ICommand<bool>;

/// <summary>
/// Ends a public posting when its period has passed (by the injected clock, so a Hangfire job that fires
/// early changes nothing and the step stays pending). Objections filed during the posting stay on the
/// dossier; the officer sees their count on the timeline. Idempotent through the guarded step update.
/// </summary>
public sealed class EndPostingHandler(Db db, TimeProvider clock) : ICommandHandler<EndPosting, bool>
{
    public async ValueTask<bool> Handle(EndPosting cmd, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.BeginWriteAsync(ct);
        var d = await tx.SingleOrDefaultAsync<Row>(Sql.Load, new { cmd.StepId });
        if (d is null || d.StepStatus != "pending" || d.DueAt > now) return false;
        if (d.Status == nameof(DossierStatus.PublicPosting))
        {
            var objections = await tx.ScalarAsync<long>(Sql.Objections, new { d.Id });
            if (await tx.ExecuteAsync(Sql.Finish, new { d.Id, d.Version, Status = nameof(DossierStatus.InVerification), Now = now }) == 0) return false;
            await Timeline.AppendAsync(tx, new(d.Id, "PostingEnded", nameof(DossierStatus.InVerification), "system:posting", Roles.System, now, objections == 0 ? "Hết thời gian niêm yết, không có ý kiến phản ánh." : $"Hết thời gian niêm yết, có {objections} ý kiến phản ánh cần xem xét.", cmd.StepId));
        }
        // A dossier withdrawn during posting just closes the step.
        if (await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = cmd.StepId, Now = now }) == 0) return false;
        await tx.CommitAsync();
        return true;
    }

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
        public int Version { get; init; }
        public string StepStatus { get; init; } = "";
        public DateTimeOffset? DueAt { get; init; }
    }

    internal static class Sql
    {
        public const string Load = """
            SELECT d.id, d.status, d.version, s.status AS step_status, s.due_at
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
