using Dapper;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Api.Features.Dossiers;

/// <summary>
/// What a transition changes besides the status. <see cref="UpdateSql"/> must set status = @Status, version = version + 1
/// and updated_at = @Now and end with WHERE id = @Id AND version = @Version; the engine adds the status guard.
/// </summary>
public sealed record ActionPlan(string EventKind, string? Note)
{
    public string UpdateSql { get; init; } = DossierTransitions.Sql.Touch;
    public object? UpdateArgs { get; init; }
    public DossierStatus? To { get; init; }
    public IReadOnlyList<string> Notify { get; init; } = [];
    public IReadOnlyDictionary<string, string> NotifyValues { get; init; } = new Dictionary<string, string>();
    public string NotifyAudience { get; init; } = "citizen";
    public IReadOnlyList<(string Kind, DateTimeOffset? DueAt)> Steps { get; init; } = [];

    /// <summary>What the papers this event issues print that may change later (see <see cref="PaperQueue"/>).</summary>
    public PaperFacts? PaperFacts { get; init; }

    /// <summary>Further timeline events of the same transition (the overdue mark also records the escalation).</summary>
    public IReadOnlyList<(string Kind, string Note)> AlsoRecorded { get; init; } = [];
}

/// <summary>The dossier as the engine needs it: read inside the transaction that changes it.</summary>
public sealed record TransitionSubject(Guid Id, int Version, DossierStatus State, NotificationTarget Target);

/// <summary>Who takes a transition: a person or client (their role and id) or a system step (role system, and the step).</summary>
public sealed record TransitionActor(string Role, string Id, Guid? StepId = null)
{
    public static TransitionActor System(string step, Guid? stepId = null) => new(Roles.System, "system:" + step, stepId);
}

public enum TransitionOutcome { Applied, RoleForbidden, NotFromThisStatus, Stale }

/// <summary>
/// The one transition engine of dossiers. Every status change — a person's action (through DossierActionRunner), an
/// integration client's, and every system step (intake, end of posting, the deadline marks) — goes through
/// <see cref="ApplyAsync"/>: the row of <see cref="DossierRules.Transitions"/> is checked for the action, the current status
/// and the role on today's date; the UPDATE is guarded by status and version; the timeline event and its outbox event,
/// the notifications and the steps that follow are written in the same transaction. A system step that finds its
/// transition no longer legal (the applicant withdrew meanwhile) completes through <see cref="SkipStepAsync"/>, with a
/// note for staff, — it never revives a dossier and never loops on an error.
/// </summary>
public sealed class DossierTransitions(NotificationQueue notifications, PersonalData personalData)
{
    /// <summary>Timeline kinds meant for staff only (the applicant's timeline leaves them out).</summary>
    public const string StepSkipped = "SystemStepSkipped";

    /// <summary>The staff-only event that puts a dossier on the province's escalation queue, as the deadline watch and the calendar record it.</summary>
    public static readonly (string Kind, string Note) Escalated = ("Escalated", "Chuyển cán bộ cấp tỉnh theo dõi, đôn đốc.");

    public static TransitionVerdict Check(DossierAction action, DossierStatus from, string role, DateTimeOffset now) =>
        DossierRules.Transitions.Check(action, from, role, Appointment.DateInVietnam(now));

    public async Task<TransitionOutcome> ApplyAsync(DbWrite tx, TransitionSubject d, DossierAction action, TransitionActor actor, ActionPlan plan,
        DateTimeOffset now)
    {
        switch (Check(action, d.State, actor.Role, now))
        {
            case TransitionVerdict.RoleForbidden: return TransitionOutcome.RoleForbidden;
            case TransitionVerdict.NotFromThisStatus: return TransitionOutcome.NotFromThisStatus;
        }
        var transition = DossierRules.For(action);
        var status = plan.To ?? transition.To ?? d.State;
        var args = new DynamicParameters(plan.UpdateArgs);
        args.AddDynamicParams(new { d.Id, d.Version, Status = status.ToString(), Now = now, From = transition.From.Select(s => s.ToString()).ToList() });
        // The guard is the table's own from-statuses, so the UPDATE itself cannot move a dossier the table would not.
        if (await tx.ExecuteAsync(Guarded(plan.UpdateSql), args) == 0) return TransitionOutcome.Stale;

        var eventId = await Timeline.AppendAsync(tx, new(d.Id, plan.EventKind, status.ToString(), actor.Id, actor.Role, now, plan.Note, actor.StepId));
        // The papers the event issues (Forms 02-04, the decision, the control sheet) are queued here and rendered after the commit.
        await PaperQueue.QueueAsync(tx, personalData, d.Id, plan.EventKind, eventId, now, plan.PaperFacts);
        foreach (var (kind, note) in plan.AlsoRecorded)
            await Timeline.AppendAsync(tx, new(d.Id, kind, status.ToString(), actor.Id, actor.Role, now, note));
        foreach (var kind in plan.Notify) await notifications.QueueAsync(tx, d.Target, kind, now, plan.NotifyValues, plan.NotifyAudience);
        foreach (var (kind, dueAt) in plan.Steps)
            await tx.ExecuteAsync(WorkflowSql.InsertStep, new { Id = Guid.CreateVersion7(), DossierId = d.Id, Kind = kind, Now = now, DueAt = dueAt });
        return TransitionOutcome.Applied;
    }

    /// <summary>A plan's UPDATE as the engine runs it: also guarded by the row's from-statuses (@From, a list Dapper expands).</summary>
    public static string Guarded(string updateSql) => updateSql + " AND status IN @From";

    /// <summary>
    /// Completes the system step of <paramref name="actor"/> whose transition is no longer legal, changing nothing but a
    /// staff-only timeline note (no outbox event: nothing happened that a subscriber needs to know). False when the step
    /// was no longer pending (another run completed it).
    /// </summary>
    public static async Task<bool> SkipStepAsync(DbWrite tx, TransitionSubject d, DossierAction action, TransitionActor actor, DateTimeOffset now)
    {
        if (await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = actor.StepId, Now = now }) == 0) return false;
        await tx.ExecuteAsync(Timeline.Sql.Append, new
        {
            Id = Guid.CreateVersion7(),
            DossierId = d.Id,
            Kind = StepSkipped,
            StatusAfter = d.State.ToString(),
            Actor = actor.Id,
            ActorRole = actor.Role,
            At = now,
            Note = $"Bước tự động '{action}' không thực hiện: hồ sơ đang ở trạng thái {d.State}, không còn phù hợp. Không có thay đổi.",
            actor.StepId,
        });
        return true;
    }

    internal static class Sql
    {
        public const string Touch = """
            UPDATE dossier SET status = @Status, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
