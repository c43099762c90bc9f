using Mediator;
using OneStopWindow.Api.Features.AdministrativeUnits;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Features.Registries;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.AdministrativeUnits;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Api.Features.Workflow;

public sealed record RunIntake(Guid StepId) : ICommand<IntakeOutcome>;

public enum IntakeOutcome { AlreadyDone, Routed, SentToReverification, Skipped }

/// <summary>
/// Intake: resolve the handling ward from the residence (pre-2025 codes only through the succession
/// mapping), flag a possible duplicate, and put the dossier in its ward's queue — or in the provincial
/// re-verification queue when the residence cannot be tied to one ward — through the transition engine (Route or
/// SendToReverification, role system), so a dossier withdrawn before intake ran stays withdrawn and the step completes
/// with a note for staff. Idempotent: the step is flipped to done in the same transaction with a guarded update, so a
/// second run changes nothing.
/// </summary>
public sealed class RunIntakeHandler(Db db, TimeProvider clock, NotificationQueue notifications, DossierTransitions transitions, WorkflowSignal workflow,
    Microsoft.Extensions.Options.IOptions<RegistryOptions> registries, PersonalData personalData, ILogger<RunIntakeHandler> logger) : ICommandHandler<RunIntake, IntakeOutcome>
{
    public const string ReverificationQueue = "province:reverification";

    public async ValueTask<IntakeOutcome> Handle(RunIntake cmd, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var now = clock.GetUtcNow();   // taken holding the writer's turn, so the timeline's times follow the order of commits
        var d = await tx.SingleOrDefaultAsync<DossierRow>(Sql.Load, new { cmd.StepId });
        if (d is null || d.StepStatus != "pending") return IntakeOutcome.AlreadyDone;

        var era = d.ResidenceEra == Eras.Pre2025 ? AdminEra.Pre2025 : AdminEra.Current;
        var exists = await tx.ScalarAsync<long>(Sql.UnitExists, new { Era = d.ResidenceEra, Code = d.ResidenceCode }) > 0;
        var successors = era == AdminEra.Pre2025
            ? (await tx.QueryAsync<SuccessionRow>(Sql.Successors, new { Code = d.ResidenceCode }))
                .Select(s => new Succession(d.ResidenceCode, s.NewCode, s.Transfer == "partial")).ToList()
            : [];
        var resolution = SuccessionResolver.Resolve(era, d.ResidenceCode, exists, successors);
        // The same beneficiary's oldest open dossier of this procedure: where they are named as beneficiary, or filed
        // for themselves. Two queries, each stopping at its index's first row (one OR query sorted every match: a person
        // with thousands of filings made each intake scan them all).
        var person = d.BeneficiaryIsOther ? d.BeneficiaryIdHash : d.ApplicantIdHash;
        var duplicateArgs = new { d.Id, PersonIdHash = person, d.ProcedureCode, Limit = 1 };
        var duplicates = person is null ? [] : new[]
        {
            await tx.SingleOrDefaultAsync<Duplicate>(db.Dialect.Limit(Sql.OpenDuplicateAsBeneficiary), duplicateArgs),
            await tx.SingleOrDefaultAsync<Duplicate>(db.Dialect.Limit(Sql.OpenDuplicateAsApplicant), duplicateArgs),
        };
        var duplicateOf = duplicates.Where(x => x is not null).MinBy(x => x!.ReceivedAt)?.Code;

        var routed = resolution.Kind == ResolutionKind.Resolved;
        var queue = routed ? "ward:" + resolution.WardCode : ReverificationQueue;
        var note = routed
            ? $"Chuyển đến hàng đợi của xã/phường {resolution.WardCode}" + (era == AdminEra.Pre2025 ? $" (kế thừa mã cũ {d.ResidenceCode})." : ".")
            : $"Chuyển đến hàng đợi xác minh của tỉnh: {resolution.Reason}";
        if (duplicateOf is not null) note += $" Có thể trùng hồ sơ {duplicateOf} (cùng người, cùng thủ tục, chưa kết thúc).";

        var form = personalData.Open(d.FormData);
        var vulnerability = Priority.Vulnerability(d.ProcedureCode, form, d.ApplicantBirthDate,
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(d.ReceivedAt, Domain.Calendar.Appointment.VietnamTime).DateTime));
        var subject = new TransitionSubject(d.Id, d.Version, Enum.Parse<DossierStatus>(d.Status), d.Target);
        var actor = TransitionActor.System("intake", cmd.StepId);
        var action = routed ? DossierAction.Route : DossierAction.SendToReverification;
        var outcome = await transitions.ApplyAsync(tx, subject, action, actor, new ActionPlan(routed ? "RoutedToWard" : "SentToReverification", note)
        {
            UpdateSql = Sql.Route,
            UpdateArgs = new
            {
                Vulnerable = vulnerability is null ? 0 : 1,
                Vulnerability = vulnerability,
                WardCode = resolution.WardCode,
                Queue = queue,
                DuplicateOf = duplicateOf,
            },
        }, now);
        if (outcome == TransitionOutcome.NotFromThisStatus)
        {
            // Withdrawn (or otherwise moved on) before intake ran: nothing to route, and nothing may revive it.
            if (!await DossierTransitions.SkipStepAsync(tx, subject, action, actor, now)) return IntakeOutcome.AlreadyDone;
            await tx.CommitAsync();
            logger.LogInformation("Intake of dossier {Code}: skipped, status {Status}", d.Code, d.Status);
            return IntakeOutcome.Skipped;
        }
        if (outcome != TransitionOutcome.Applied) return IntakeOutcome.AlreadyDone;   // changed meanwhile; the step stays for a later run
        if (await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = cmd.StepId, Now = now }) == 0) return IntakeOutcome.AlreadyDone;
        if (!routed)
            await Beneficiaries.ReverificationQueue.OpenAsync(tx, "dossier", d.Id, resolution.Kind == ResolutionKind.Split ? "split" : "unknown-code",
                resolution.Reason ?? "Không xác định được xã/phường xử lý.", resolution.Candidates, null, null, now);
        await RegistryChecks.QueueAsync(tx, d.Id, PovertyClaim.From(d.ProcedureCode, form) is not null, registries.Value, now);
        if (routed)
            await notifications.QueueAsync(tx, d.Target, "received", now,
                new Dictionary<string, string>
                {
                    ["ward"] = await tx.SingleOrDefaultAsync<string>(Sql.WardName, new { Code = resolution.WardCode }) ?? resolution.WardCode!,
                    ["appointment"] = Templates.Date(d.AppointmentDate),
                });
        await tx.CommitAsync();
        workflow.StepsWritten();
        logger.LogInformation("Intake of dossier {Code}: {Outcome}", d.Code, routed ? "routed" : "re-verification");
        return routed ? IntakeOutcome.Routed : IntakeOutcome.SentToReverification;
    }

    private sealed record DossierRow
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public string ProcedureCode { get; init; } = "";
        public string? ApplicantIdHash { get; init; }
        public string? BeneficiaryIdHash { get; init; }
        public bool BeneficiaryIsOther { get; init; }
        public string? ApplicantEmail { get; init; }
        public string Language { get; init; } = "vi";
        public DateOnly AppointmentDate { get; init; }
        public string ResidenceEra { get; init; } = "";
        public string ResidenceCode { get; init; } = "";
        public Sealed FormData { get; init; } = new("{}");
        public DateOnly ApplicantBirthDate { get; init; }
        public DateTimeOffset ReceivedAt { get; init; }
        public int Version { get; init; }
        public string Status { get; init; } = "";
        public string StepStatus { get; init; } = "";
        public NotificationTarget Target => new(Id, Code, Language, ApplicantEmail is not null);
    }

    private sealed record SuccessionRow
    {
        public string NewCode { get; init; } = "";
        public string Transfer { get; init; } = "";
    }

    private sealed record Duplicate
    {
        public string Code { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
    }

    internal static class Sql
    {
        public const string Load = """
            SELECT d.id, d.code, d.procedure_code, d.applicant_id_hash, d.beneficiary_id_hash, d.beneficiary_is_other, d.applicant_email, d.language, d.appointment_date,
                   d.residence_era, d.residence_code, d.form_data, d.applicant_birth_date, d.received_at, d.version, d.status,
                   s.status AS step_status
            FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id
            WHERE s.id = @StepId
            """;
        public const string WardName = "SELECT full_name FROM admin_unit WHERE era = 'current' AND code = @Code";
        public const string UnitExists = "SELECT COUNT(*) FROM admin_unit WHERE era = @Era AND code = @Code";
        public const string Successors = "SELECT new_code, transfer FROM unit_succession WHERE old_code = @Code ORDER BY new_code";
        public const string OpenDuplicateAsBeneficiary = $"""
            SELECT code, received_at FROM dossier
            WHERE beneficiary_id_hash = @PersonIdHash AND procedure_code = @ProcedureCode AND id <> @Id AND {Deadline.Sql.Open}
            ORDER BY received_at
            """;
        public const string OpenDuplicateAsApplicant = $"""
            SELECT code, received_at FROM dossier
            WHERE applicant_id_hash = @PersonIdHash AND procedure_code = @ProcedureCode AND id <> @Id AND beneficiary_is_other = 0
              AND {Deadline.Sql.Open}
            ORDER BY received_at
            """;
        public static readonly string Route = $"""
            UPDATE dossier SET status = @Status, handling_ward_code = @WardCode, queue_name = @Queue,
                possible_duplicate_of = @DuplicateOf, vulnerable = @Vulnerable, vulnerability = @Vulnerability,
                need_score = {Priority.NeedSqlFor("@WardCode", "@Vulnerable")}, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
