using System.Text.Json;
using Dapper;
using Mediator;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Get;

public sealed record ApplicantResponse(string FullName, DateOnly? DateOfBirth, string IdNumber, string Phone, string? Email);

/// <param name="EffectiveMonth">A granted monthly benefit is paid from this month ("yyyy-MM"): the signing month, or for a change of
/// residence the month after the last one the old ward paid.</param>
public sealed record DecisionResponse(string Number, DateOnly Date, string Outcome, string? LegalBasis, string? EffectiveMonth,
    decimal? AmountVnd, bool? Monthly, decimal? Coefficient, decimal? StandardLevelVnd, string? Reasons)
{
    /// <summary>A stop: the last month paid ("yyyy-MM", the signing month); nothing is paid from the next month.</summary>
    public string? LastMonth { get; init; }
}

/// <summary>What the rules would allow if the chair approved today — the decision's own check (staff only).</summary>
/// <param name="Allowed">False: approving answers 422 with this rule.</param>
/// <param name="FromMonth">A grant: paid from this month ("yyyy-MM").</param>
/// <param name="LastMonth">A stop: paid up to this month.</param>
/// <param name="Rule">A refusal: the rule's code.</param>
/// <param name="Source">The legal text behind the amount or the refusal.</param>
public sealed record BenefitCheckResponse(bool Allowed, decimal? AmountVnd, bool? Monthly, string? FromMonth, string? LastMonth, string? Rule, string? Source,
    string? Message)
{
    public static BenefitCheckResponse From(Domain.Eligibility.BenefitDecision decision) => decision switch
    {
        Domain.Eligibility.BenefitGranted g => new(true, g.Amount.Vnd, g.Amount.Monthly, Domain.Eligibility.EffectiveMonth.Of(g.FromMonth), null, null, g.Amount.Basis, null),
        Domain.Eligibility.BenefitStopped s => new(true, null, null, null, Domain.Eligibility.EffectiveMonth.Of(s.LastMonth), null, s.Basis, null),
        Domain.Eligibility.BenefitRefused r => new(false, null, null, null, null, r.Rule, r.Source, r.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(decision)),
    };
}

/// <summary>
/// A dossier as its caller may see it. Holders of the tracking secret get the status with personal data
/// masked; the owner and the handling staff also get the full applicant, the form fields and the decision.
/// </summary>
public sealed record DossierResponse(
    string Code, string ProcedureCode, string Status, int NationalStatusCode, string StatusLabel, string? Outcome, string Channel,
    DateTimeOffset ReceivedAt, DateOnly AppointmentDate, bool ClockPaused, bool AtRisk, bool Overdue, bool Escalated,
    string? HandlingWardCode, string? HandlingWardName, string? AssignedOfficer, ApplicantResponse Applicant,
    string? PossibleDuplicateOf, IReadOnlyList<string> MissingDocuments, JsonElement? FormFields, DecisionResponse? Decision,
    int? Rating, int Version, DateTimeOffset UpdatedAt, IReadOnlyList<RegistryCheckResponse>? RegistryChecks, EligibilityHintResponse? EligibilityHint)
{
    /// <summary>Staff, before the decision: what approving today would decide under the rules in force (null otherwise).</summary>
    public BenefitCheckResponse? BenefitCheck { get; init; }

    /// <summary>The apology and new appointment date (Form 04) the officer sent, when there is one; the applicant sees it too.</summary>
    public DelayNoticeResponse? DelayNotice { get; init; }

    /// <summary>Refused at reception (status RefusedAtReception, national 3): the Form 03 reasons; null otherwise.</summary>
    public ReceptionRefusalResponse? ReceptionRefusal { get; init; }

    /// <summary>Staff: the working calendar's version the appointment date was computed on (see `GET /api/v1/calendar/{year}`); null for other callers
    /// and for dates computed before the calendar was versioned.</summary>
    public int? CalendarVersion { get; init; }

    /// <summary>Staff: the promised date a recorded calendar notice made a day off, for which a delay notice (Form 04) was asked (timeline
    /// `DelayNoticeNeeded`); null otherwise and for other callers.</summary>
    public DateOnly? DelayNoticeNeededFor { get; init; }
}

/// <summary>The delay notice (Form 04): sent no later than one working day before the original appointment date, once.</summary>
/// <param name="NoticedAt">When the officer recorded it.</param>
/// <param name="Reason">Why the result is late, as written to the applicant.</param>
/// <param name="OriginalAppointmentDate">The appointment date the notice replaced.</param>
/// <param name="NewAppointmentDate">The one new date it set (the dossier's appointmentDate, unless a later supplement moved it again).</param>
public sealed record DelayNoticeResponse(DateTimeOffset NoticedAt, string Reason, DateOnly OriginalAppointmentDate, DateOnly NewAppointmentDate);


/// <summary>Form 03 (Circular 01/2018/TT-VPCP), as the applicant received it.</summary>
/// <param name="Form">Always "03".</param>
/// <param name="Reason">`outside-competence` or `not-covered-by-procedure`.</param>
/// <param name="ReasonLabel">The reason in the language asked for.</param>
/// <param name="Explanation">The officer's written explanation.</param>
/// <param name="Date">The day of the refusal (Vietnam).</param>
public sealed record ReceptionRefusalResponse(string Form, string Reason, string ReasonLabel, string Explanation, DateOnly Date);

/// <summary>What an outside registry said about the applicant, with its source and time (the provenance officers rely on).</summary>
/// <param name="Registry">`population` (national population database) or `poverty-households` (poor / near-poor household list).</param>
/// <param name="Result">
/// population: `verified`, `mismatch`, `not-found`; poverty-households: `listed`, `not-listed`; both: `unavailable` (retrying — treat as unverified) or `disabled` (no gateway configured).
/// </param>
/// <param name="Details">A mismatch's `differingFields`; a listed household's `category` and `listYear`.</param>
public sealed record RegistryCheckResponse(string Registry, string Result, JsonElement? Details, string Source, DateTimeOffset CheckedAt, int Attempts);

/// <summary>The household status the form claims against the poverty list.</summary>
/// <param name="Assessment">`confirmed`, `contradicted` (not on the list, or another category), or `unverified` (list not consulted yet, unreachable or switched off).</param>
public sealed record EligibilityHintResponse(string ClaimedHouseholdStatus, string? ListedCategory, string Assessment, string? Source, DateTimeOffset? CheckedAt);

public sealed record GetDossier(string Code, Caller Caller, string? TrackingSecret, bool English) : IQuery<DossierResponse>;

public sealed class GetDossierHandler(Db db, DossierViews views, Infrastructure.AccessLog.AccessRecorder accessLog) : IQueryHandler<GetDossier, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(GetDossier query, CancellationToken ct)
    {
        var (row, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct);
        if (DossierAccess.ReadsSomeoneElses(access)) accessLog.RecordDossier(query.Caller, Infrastructure.AccessLog.AccessKinds.DossierView, row.Id);
        return await views.ToResponseAsync(row, access, query.English, ct);
    }
}

/// <summary>Builds <see cref="DossierResponse"/> for reads and for the answers of staff actions alike.</summary>
public sealed class DossierViews(Db db, WorkingCalendarProvider calendars, TimeProvider clock, PersonalData personalData, BenefitChecks benefits,
    Microsoft.Extensions.Options.IOptions<SlaOptions> sla)
{
    public async Task<DossierResponse> ToResponseAsync(DossierRow row, AccessKind access, bool english, CancellationToken ct)
    {
        var status = row.State;
        var audience = DossierAccess.AudienceOf(access);
        var today = Today(clock);
        var calendar = await calendars.GetAsync(ct);
        var wardName = row.HandlingWardCode is null ? null : await WardNameAsync(row.HandlingWardCode, ct);
        // One connection for the dossier's own rows (each open of a pooled connection is a round of statements).
        await using var connection = await db.OpenAsync(ct);
        var missing = await MissingDocumentsAsync(connection, row, ct);
        var idNumber = personalData.Open(row.ApplicantIdNumber);
        var applicant = audience.Sees(DossierField.ApplicantIdentity)
            ? new ApplicantResponse(row.ApplicantName, row.ApplicantBirthDate, idNumber, row.ApplicantPhone, row.ApplicantEmail)
            : new ApplicantResponse(PersonName.Mask(row.ApplicantName), null, PersonalIdNumber.Mask(idNumber), PhoneNumber.Mask(row.ApplicantPhone), null);
        var form = audience.Sees(DossierField.FormFields) || audience.Sees(DossierField.RegistryFindings) ? personalData.Open(row.FormData) : null;
        var findings = audience.Sees(DossierField.RegistryFindings);
        var checks = !findings ? [] : (await connection.QueryAsync<CheckRow>(new CommandDefinition(Sql.RegistryChecks, new { row.Id }, cancellationToken: ct)))
            .Select(c => new RegistryCheckResponse(c.Registry, c.Result, c.Details is null ? null : JsonDocument.Parse(c.Details).RootElement.Clone(),
                c.Source, c.CheckedAt, c.Attempts)).ToList();
        var horizon = Deadline.Horizon.On(today, calendar, sla.Value.AtRiskWorkingDays);
        return new(row.Code, row.ProcedureCode, row.Status, status.NationalCode(), status.Label(english), row.Outcome, row.Channel,
            row.ReceivedAt, row.AppointmentDate, row.ClockPausedAt is not null, Deadline.IsAtRisk(row.DeadlineFacts, horizon),
            Deadline.IsOverdue(row.DeadlineFacts, horizon), row.EscalatedAt is not null,
            row.HandlingWardCode, wardName, audience.Sees(DossierField.AssignedOfficer) ? row.AssignedOfficer : null, applicant,
            audience.Sees(DossierField.DuplicateLink) ? row.PossibleDuplicateOf : null, missing,
            audience.Sees(DossierField.FormFields) ? JsonDocument.Parse(form!).RootElement.Clone() : null,
            row.DecisionJson is null ? null : JsonSerializer.Deserialize<DecisionResponse>(row.DecisionJson, JsonSerializerOptions.Web),
            row.Rating, row.Version, row.UpdatedAt, findings ? checks : null, findings ? Hint(row.ProcedureCode, form!, checks) : null)
        {
            BenefitCheck = audience.Sees(DossierField.BenefitCheck) && row.Outcome is null && !Deadline.Finished.Contains(status)
                && await benefits.CheckAsync(row, today, ct) is { } check ? BenefitCheckResponse.From(check) : null,
            DelayNotice = audience.Sees(DossierField.DelayNotice) ? DelayNoticeOf(row) : null,
            ReceptionRefusal = status != DossierStatus.RefusedAtReception ? null
                : await connection.QuerySingleOrDefaultAsync<RefusalRow>(new CommandDefinition(Sql.Refusal, new { row.Id }, cancellationToken: ct)) is { Reason: { } reason } r
                    ? new("03", reason, Domain.Dossiers.ReceptionRefusal.Label(reason, english), r.Explanation ?? "", Appointment.DateInVietnam(r.CompletedAt ?? row.UpdatedAt))
                    : null,
            CalendarVersion = audience.Sees(DossierField.CalendarVersion) ? row.CalendarVersion : null,
            DelayNoticeNeededFor = audience.Sees(DossierField.DelayNoticeNeededFor) ? row.DelayNoticeNeededFor : null,
        };
    }

    /// <summary>The notice as the officer recorded it; null without one (and for a date the deadline watch set before issue 17).</summary>
    private static DelayNoticeResponse? DelayNoticeOf(DossierRow row) =>
        row is { DelayNoticedAt: { } at, DelayReason: { } reason, OriginalAppointmentDate: { } original, DelayNewDate: { } set }
            ? new(at, reason, original, set)
            : null;

    private static EligibilityHintResponse? Hint(string procedureCode, string form, IReadOnlyList<RegistryCheckResponse> checks)
    {
        if (OneStopWindow.Domain.Eligibility.PovertyClaim.From(procedureCode, form) is not { } claimed) return null;
        var check = checks.FirstOrDefault(c => c.Registry == Registries.RegistryNames.Poverty);
        var listed = check?.Details is { } d && d.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var assessment = check?.Result switch
        {
            "listed" => listed == claimed ? "confirmed" : "contradicted",
            "not-listed" => "contradicted",
            _ => "unverified",
        };
        return new(claimed, listed, assessment, check?.Source, check?.CheckedAt);
    }

    private sealed record RefusalRow
    {
        public string? Reason { get; init; }
        public string? Explanation { get; init; }
        public DateTimeOffset? CompletedAt { get; init; }
    }

    private sealed record CheckRow
    {
        public string Registry { get; init; } = "";
        public string Result { get; init; } = "";
        public string? Details { get; init; }
        public string Source { get; init; } = "";
        public DateTimeOffset CheckedAt { get; init; }
        public int Attempts { get; init; }
    }

    /// <summary>Required documents of the procedure's checklist that nobody has uploaded yet.</summary>
    public async Task<IReadOnlyList<string>> MissingDocumentsAsync(DossierRow row, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await MissingDocumentsAsync(connection, row, ct);
    }

    private async Task<IReadOnlyList<string>> MissingDocumentsAsync(System.Data.Common.DbConnection connection, DossierRow row, CancellationToken ct)
    {
        var procedure = await ProcedureDefinition.LoadAsync(db, row.ProcedureCode, ct);
        if (procedure is null) return [];
        var uploaded = (await connection.QueryAsync<string>(new CommandDefinition(Sql.UploadedCodes, new { row.Id }, cancellationToken: ct))).ToHashSet();
        return procedure.RequiredUploads.Where(c => !uploaded.Contains(c)).ToList();
    }

    /// <summary>Names of current units are seed data: read once per code, then from memory.</summary>
    private async Task<string?> WardNameAsync(string code, CancellationToken ct)
    {
        if (WardNames.TryGetValue(code, out var name)) return name;
        name = await db.SingleOrDefaultAsync<string>(Sql.WardName, new { Code = code }, ct);
        if (name is not null) WardNames[code] = name;
        return name;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> WardNames = new(StringComparer.Ordinal);

    public static DateOnly Today(TimeProvider clock) => Appointment.DateInVietnam(clock.GetUtcNow());

    internal static class Sql
    {
        public const string WardName = "SELECT full_name FROM admin_unit WHERE era = 'current' AND code = @Code";
        public const string RegistryChecks = """
            SELECT registry, result, details, source, checked_at, attempts FROM registry_check WHERE dossier_id = @Id ORDER BY registry
            """;
        public const string Refusal = """
            SELECT refusal_reason AS reason, refusal_explanation AS explanation, completed_at FROM dossier WHERE id = @Id
            """;
        public const string UploadedCodes = "SELECT DISTINCT document_code FROM dossier_document WHERE dossier_id = @Id";
    }
}
