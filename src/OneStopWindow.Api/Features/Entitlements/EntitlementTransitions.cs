using Dapper;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Entitlements;
using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>The entitlement as the engine needs it: read inside the transaction that changes it.</summary>
public sealed record EntitlementSubject(Guid Id, int Version, EntitlementStatus State);

/// <summary>Who changes an entitlement: a person (their role and id; the chair through a decision) or a system step.</summary>
public sealed record EntitlementActor(string Role, string Id)
{
    public static EntitlementActor System(string step) => new(Roles.System, "system:" + step);
}

/// <summary>
/// What a transition changes besides the status, and what its history row says. <see cref="UpdateSql"/> must set
/// status = @Status, version = version + 1 and updated_at = @Now and end with WHERE id = @Id AND version = @Version; the
/// engine adds the status guard. An ending action's update takes its last month as @End, which the engine passes (the
/// month, after the payment lists' clamp: <see cref="EntitlementTransitions.Ends"/>). <see cref="Reason"/> and <see cref="Note"/> are staff-only: they reach the history,
/// never the outbox event.
/// </summary>
/// <param name="Month">The month the change applies from (adjust) or ends with (end, transfer), "yyyy-MM".</param>
public sealed record EntitlementChange(string? Month = null, string? Reason = null, bool? Owed = null, string? Note = null, Guid? DossierId = null,
    string? DecisionNumber = null)
{
    public string UpdateSql { get; init; } = EntitlementTransitions.Sql.Touch;
    public object? UpdateArgs { get; init; }
}

public enum EntitlementOutcome { Applied, RoleForbidden, NotFromThisStatus, Stale }

/// <summary>
/// The one transition engine of entitlements, the second aggregate on the generic table: every status change — a
/// ward's suspension, the chair's decision (adjust, stop, transfer), the system's own steps — goes through
/// <see cref="ApplyAsync"/>: the row of <see cref="EntitlementRules.Transitions"/> is checked for the action, the current
/// status and the role on today's date; the UPDATE is guarded by status and version; the history row and the outbox
/// event are written in the caller's transaction. A start is not a transition (there is no status before it):
/// <see cref="StartAsync"/> writes the row, its first basis, its history row and its outbox event the same way.
/// Outbox events carry ids and status only — never the group, the coefficient or the reason (a group such as
/// <c>child-hiv-poor</c> discloses health status, DOMAIN §7).
/// </summary>
public static class EntitlementTransitions
{
    /// <summary>The outbox (and webhook) event type of each change; letters only, like the dossier kinds.</summary>
    public const string Started = "EntitlementStarted";

    public static string EventTypeOf(EntitlementAction action) => action switch
    {
        EntitlementAction.Adjust => "EntitlementChanged",
        EntitlementAction.Suspend => "EntitlementSuspended",
        EntitlementAction.Resume => "EntitlementResumed",
        EntitlementAction.End or EntitlementAction.ReportDeath => "EntitlementEnded",
        _ => "EntitlementTransferred",
    };

    /// <summary>The history row's kind of each change.</summary>
    public static string KindOf(EntitlementAction action) => action switch
    {
        EntitlementAction.Adjust => "Adjusted",
        EntitlementAction.Suspend => "Suspended",
        EntitlementAction.Resume => "Resumed",
        EntitlementAction.End => "Ended",
        EntitlementAction.ReportDeath => "DeathReported",
        _ => "Transferred",
    };

    /// <summary>Every event type the register writes (webhook subscriptions may name them).</summary>
    public static readonly IReadOnlyList<string> EventTypes = [Started, .. Enum.GetValues<EntitlementAction>().Select(EventTypeOf).Distinct()];

    public static TransitionVerdict Check(EntitlementAction action, EntitlementStatus from, string role, DateTimeOffset now) =>
        EntitlementRules.Transitions.Check(action, from, role, Appointment.DateInVietnam(now));

    public static async Task<EntitlementOutcome> ApplyAsync(DbWrite tx, EntitlementSubject e, EntitlementAction action, EntitlementActor actor,
        EntitlementChange change, DateTimeOffset now)
    {
        switch (Check(action, e.State, actor.Role, now))
        {
            case TransitionVerdict.RoleForbidden: return EntitlementOutcome.RoleForbidden;
            case TransitionVerdict.NotFromThisStatus: return EntitlementOutcome.NotFromThisStatus;
        }
        var transition = EntitlementRules.For(action);
        var status = transition.To ?? e.State;
        if (Ends(action)) change = await ClampEndAsync(tx, e.Id, change);
        var args = new DynamicParameters(change.UpdateArgs);
        args.AddDynamicParams(new { e.Id, e.Version, Status = status.ToString(), Now = now, From = transition.From.Select(s => s.ToString()).ToList() });
        if (Ends(action)) args.Add("End", change.Month);
        if (await tx.ExecuteAsync(change.UpdateSql + " AND status IN @From", args) == 0) return EntitlementOutcome.Stale;
        await AppendAsync(tx, e.Id, KindOf(action), status, EventTypeOf(action), actor, change, now);
        return EntitlementOutcome.Applied;
    }

    /// <summary>The actions that end an entitlement: their <see cref="EntitlementChange.Month"/> is its last month, passed to the update as @End.</summary>
    public static bool Ends(EntitlementAction action) => action is EntitlementAction.End or EntitlementAction.ReportDeath or EntitlementAction.Transfer;

    /// <summary>
    /// Issue 18's rule "the old ward ends with the last month it paid or listed", for every way an entitlement ends (a stop
    /// decision, a death, the higher benefit, a change of residence): an end month before the last month already on a live
    /// line of an approved payment list (issue 19) becomes that month — an approved list never changes, so no approved month
    /// lies after an end — and the history note says so. A draft is not binding: its approval refuses it once the
    /// entitlement changed after it was drafted.
    /// </summary>
    private static async Task<EntitlementChange> ClampEndAsync(DbWrite tx, Guid id, EntitlementChange change)
    {
        if (change.Month is not { } end) return change;
        var listed = await tx.SingleOrDefaultAsync<string>(Sql.LastApprovedMonth, new { Id = id });
        if (listed is null || string.CompareOrdinal(listed, end) <= 0) return change;
        var note = $"{change.Note} Tháng cuối cùng được chi trả là {listed} (không phải {end}): tháng {listed} đã có trong danh sách chi trả đã phê duyệt.".Trim();
        return change with { Month = listed, Note = note.Length > 2000 ? note[..2000] : note };
    }

    /// <summary>A new entitlement, Active from <paramref name="row"/>'s start month, with its first basis.</summary>
    /// <param name="announce">False for the legacy import's baseline: a record paid all along is not news, and a list of a hundred
    /// thousand would flood every subscriber; its history row says "Imported". Changes from then on are announced.</param>
    public static async Task StartAsync(DbWrite tx, NewEntitlement row, EntitlementActor actor, EntitlementChange change, DateTimeOffset now,
        bool announce = true)
    {
        await tx.ExecuteAsync(Sql.Insert, new
        {
            row.Id,
            row.PersonIdHash,
            row.FullName,
            row.BenefitCode,
            row.WardCode,
            row.StartMonth,
            Status = nameof(EntitlementStatus.Active),
            AmountSource = row.Basis.Source.ToString(),
            row.BeneficiaryId,
            row.DossierId,
            Now = now,
        });
        await EntitlementStore.PutBasisAsync(tx, row.Id, row.StartMonth, row.Basis, now);
        var first = change with { Month = change.Month ?? row.StartMonth };
        if (announce) await AppendAsync(tx, row.Id, "Started", EntitlementStatus.Active, Started, actor, first, now);
        else await RecordAsync(tx, row.Id, "Imported", EntitlementStatus.Active, actor, first, now);
    }

    /// <summary>A history row without a status change (a ward assigned to an imported record): no outbox event.</summary>
    public static Task RecordAsync(DbWrite tx, Guid id, string kind, EntitlementStatus status, EntitlementActor actor, EntitlementChange change,
        DateTimeOffset now) => tx.ExecuteAsync(Sql.AppendEvent, EventArgs(id, kind, status, actor, change, now));

    private static async Task AppendAsync(DbWrite tx, Guid id, string kind, EntitlementStatus status, string eventType, EntitlementActor actor,
        EntitlementChange change, DateTimeOffset now)
    {
        var args = EventArgs(id, kind, status, actor, change, now);
        await tx.ExecuteAsync(Sql.AppendEvent, args);
        // Ids and status only: the reason, the note and the basis stay in the staff-only history.
        await tx.ExecuteAsync(Sql.AppendIntegrationEvent, new { args.EventId, EntitlementId = id, Type = eventType, At = now });
    }

    private static EventRow EventArgs(Guid id, string kind, EntitlementStatus status, EntitlementActor actor, EntitlementChange c, DateTimeOffset now) =>
        new(Guid.CreateVersion7(), id, kind, status.ToString(), c.Month, c.Reason, c.Owed, c.Note, c.DossierId, c.DecisionNumber, actor.Id, actor.Role, now);

    private sealed record EventRow(Guid EventId, Guid Id, string Kind, string Status, string? Month, string? Reason, bool? Owed, string? Note,
        Guid? DossierId, string? DecisionNumber, string Actor, string Role, DateTimeOffset Now);

    internal static class Sql
    {
        public const string Touch = """
            UPDATE entitlement SET status = @Status, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string Insert = """
            INSERT INTO entitlement (id, person_id_hash, full_name, benefit_code, ward_code, start_month, end_month, status, amount_source,
                suspension_reason, beneficiary_id, dossier_id, version, created_at, updated_at)
            VALUES (@Id, @PersonIdHash, @FullName, @BenefitCode, @WardCode, @StartMonth, NULL, @Status, @AmountSource,
                NULL, @BeneficiaryId, @DossierId, 1, @Now, @Now)
            """;
        // The payment ledger's tables (issue 19), read by SQL only: the register does not depend on the payments area.
        public const string LastApprovedMonth = """
            SELECT MAX(m.month) FROM payment_line_month m JOIN payment_line l ON l.id = m.line_id JOIN payment_list p ON p.id = l.list_id
            WHERE m.entitlement_id = @Id AND m.released = 0 AND p.status = 'Approved'
            """;
        public const string AppendEvent = """
            INSERT INTO entitlement_event (id, entitlement_id, kind, status_after, month, reason, owed, note, dossier_id, decision_number, actor, actor_role, occurred_at)
            VALUES (@EventId, @Id, @Kind, @Status, @Month, @Reason, @Owed, @Note, @DossierId, @DecisionNumber, @Actor, @Role, @Now)
            """;
        // No personal data and no reason in events: subscribers read the entitlement itself under a scope.
        public const string AppendIntegrationEvent = """
            INSERT INTO integration_event (id, dossier_id, dossier_code, procedure_code, ward_code, client_id, event_type, status_after, version, occurred_at,
                entitlement_id)
            SELECT @EventId, NULL, NULL, benefit_code, ward_code, NULL, @Type, status, version, @At, id FROM entitlement WHERE id = @EntitlementId
            """;
    }
}

/// <summary>A new entitlement's row.</summary>
public sealed record NewEntitlement(Guid Id, string? PersonIdHash, string FullName, string BenefitCode, string? WardCode, string StartMonth,
    StoredBasis Basis, Guid? BeneficiaryId, Guid? DossierId);
