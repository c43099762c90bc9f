using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers;

/// <summary>Everything the lifecycle needs to know about one dossier.</summary>
public sealed record DossierRow
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string ProcedureCode { get; init; } = "";
    public string Status { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? Outcome { get; init; }
    public string ApplicantName { get; init; } = "";
    public DateOnly ApplicantBirthDate { get; init; }
    public Sealed ApplicantIdNumber { get; init; } = new("");
    public string? ApplicantIdHash { get; init; }
    public string ApplicantPhone { get; init; } = "";
    public string? ApplicantEmail { get; init; }
    /// <summary>The keyed hash of the signed-in citizen who filed it (column owner_id_hash); null for anonymous, counter and client filings.</summary>
    public string? OwnerIdHash { get; init; }
    /// <summary>The keyed hash of the beneficiary's identity number when the dossier is for someone other than the applicant.</summary>
    public string? BeneficiaryIdHash { get; init; }
    /// <summary>The beneficiary was 18 or over at filing: they also see the dossier as its owner.</summary>
    public bool BeneficiaryAdult { get; init; }
    /// <summary>The form names a beneficiary other than the applicant (with or without an identity number).</summary>
    public bool BeneficiaryIsOther { get; init; }
    /// <summary>Whose dossier it is for the duplicate check and the person's benefits: the beneficiary's (null when they have no number), else the applicant's.</summary>
    public string? PersonIdHash => BeneficiaryIsOther ? BeneficiaryIdHash : ApplicantIdHash;
    public string ResidenceEra { get; init; } = "";
    public string ResidenceCode { get; init; } = "";
    public string? ResidenceDetail { get; init; }
    public string? HandlingWardCode { get; init; }
    /// <summary>The ward (or the provincial portal, "25") where the dossier was received.</summary>
    public string ReceivedUnitCode { get; init; } = "";
    public string? QueueName { get; init; }
    public string? AssignedOfficer { get; init; }
    public string? PossibleDuplicateOf { get; init; }
    public Guid? ClientId { get; init; }
    public string? ExternalReference { get; init; }
    public string? Vulnerability { get; init; }

    // Read by the priority-ordered queues only.
    public string? Zone { get; init; }
    public string? EthnicRegion { get; init; }
    public Sealed FormData { get; init; } = new("{}");
    public string TrackingSecretHash { get; init; } = "";
    public string Language { get; init; } = "vi";
    public DateTimeOffset ReceivedAt { get; init; }
    public DateOnly AppointmentDate { get; init; }
    /// <summary>The working calendar's version the appointment date was computed on (null: before the calendar was versioned).</summary>
    public int? CalendarVersion { get; init; }
    /// <summary>The appointment date a calendar notice turned into a day off, once the officer was asked for a delay notice.</summary>
    public DateOnly? DelayNoticeNeededFor { get; init; }
    public int ProcessingDays { get; init; }
    public int SupplementCount { get; init; }
    public DateTimeOffset? ClockPausedAt { get; init; }
    public int? RemainingWorkingDays { get; init; }
    public DateTimeOffset? PostingEndsAt { get; init; }
    public bool PostingDone { get; init; }
    public DateTimeOffset? AtRiskAt { get; init; }
    public DateTimeOffset? OverdueSince { get; init; }
    /// <summary>The one new appointment date has been set: by the officer's delay notice, or (rows from before issue 17) by the deadline watch.</summary>
    public bool Rescheduled { get; init; }
    /// <summary>When the officer recorded the delay notice (Form 04); null if none.</summary>
    public DateTimeOffset? DelayNoticedAt { get; init; }
    public string? DelayReason { get; init; }
    /// <summary>The appointment date before the delay notice moved it.</summary>
    public DateOnly? OriginalAppointmentDate { get; init; }
    /// <summary>The date the delay notice set (a later supplement may move the appointment again).</summary>
    public DateOnly? DelayNewDate { get; init; }
    public DateTimeOffset? EscalatedAt { get; init; }
    public string? DecisionNumber { get; init; }
    public DateOnly? DecisionDate { get; init; }
    public string? DecisionJson { get; init; }
    public int? Rating { get; init; }
    public int Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public DossierStatus State => Enum.Parse<DossierStatus>(Status);

    /// <summary>What the deadline predicates read (<see cref="Deadline"/>).</summary>
    public Deadline.Facts DeadlineFacts => new(State, AppointmentDate, ClockPausedAt is not null, OverdueSince is not null);
    public Notifications.NotificationTarget Target => new(Id, Code, Language, ApplicantEmail is not null);
    public string ETag => $"\"{Version}\"";
}

/// <summary>
/// The dossier's beneficiary columns, derived from its form: written when the form is (submission, a supplement's
/// corrected form), so the duplicate check, the person's list and the other-benefit check can follow the beneficiary.
/// </summary>
public sealed record BeneficiaryColumns(string? BeneficiaryIdHash, bool BeneficiaryAdult, bool BeneficiaryIsOther)
{
    public static BeneficiaryColumns Of(System.Text.Json.JsonElement form, DateOnly applicantBirthDate, DateOnly day, PersonalData personalData) => new(
        Domain.Applicants.Beneficiary.IdNumber(form) is { } id ? personalData.Hash(id) : null,
        Domain.Applicants.Beneficiary.IsAdultOther(form, applicantBirthDate, day),
        Domain.Applicants.Beneficiary.IsOther(form));
}

/// <summary>How the caller reaches a dossier, which decides what they may see and do.</summary>
public enum AccessKind { None, TrackingSecret, Owner, WardStaff, Provincial, Client }

/// <summary>
/// Who may see a dossier: its owner — the signed-in citizen whose identity number is the applicant's (whoever filed
/// it; a citizen filing for someone else tracks it by its secret like anyone) —, whoever holds its
/// tracking secret, staff of its handling ward (and of the ward that received it, until a handling ward is named), provincial officers, integration clients with the
/// dossiers:read scope whose restrictions allow it. Anyone else gets the same 404 as for
/// a code that does not exist.
/// </summary>
public static class DossierAccess
{
    /// <summary>The columns of <see cref="DossierRow"/>, for queries that add their own.</summary>
    internal const string SelectList = """
        id, code, procedure_code, status, channel, outcome, applicant_name, applicant_birth_date, applicant_id_number,
               applicant_phone, applicant_email, owner_id_hash, applicant_id_hash, residence_era, residence_code, residence_detail,
               handling_ward_code, queue_name, assigned_officer, possible_duplicate_of, form_data, tracking_secret_hash, language,
               received_at, appointment_date, processing_days, supplement_count, clock_paused_at, remaining_working_days,
               posting_ends_at, posting_done, at_risk_at, overdue_since, rescheduled, escalated_at, decision_number, decision_date,
               decision_json, rating, version, updated_at, client_id, external_reference, vulnerability, beneficiary_id_hash, beneficiary_adult, beneficiary_is_other,
               delay_noticed_at, delay_reason, original_appointment_date, delay_new_date,
               calendar_version, delay_notice_needed_for, received_unit_code
        """;

    /// <summary>
    /// A WHERE fragment: the dossier is the person's (<c>@IdHash</c>) — they are its named beneficiary, or filed it for
    /// themselves (<see cref="DossierRow.PersonIdHash"/> in SQL); an OR the planner serves with both hash indexes.
    /// </summary>
    internal const string IsPersons = "(beneficiary_id_hash = @IdHash OR (beneficiary_is_other = 0 AND applicant_id_hash = @IdHash))";

    internal static class Sql
    {
        public const string SelectColumns = "SELECT " + SelectList + "\nFROM dossier";

        public const string ByCode = SelectColumns + " WHERE code = @Code";
    }

    /// <param name="clientScope">The scope an integration client needs for this read: the dossier itself, or its documents.</param>
    public static AccessKind Of(Caller caller, DossierRow row, string? trackingSecret, string clientScope = Scopes.ReadDossiers)
    {
        if (caller.IsProvincial) return AccessKind.Provincial;
        if (caller.Client is { } client)
            return client.Has(clientScope) && client.Sees(row.ProcedureCode, row.HandlingWardCode, row.ClientId) ? AccessKind.Client : AccessKind.None;
        if (caller.IsWardStaff && caller.WardCode is not null && caller.WardCode == row.HandlingWardCode) return AccessKind.WardStaff;
        // The counter that received it, until intake has named the handling ward (a moment): the officer prints the receipt at once.
        if (caller.IsWardStaff && caller.WardCode is not null && row.HandlingWardCode is null && caller.WardCode == row.ReceivedUnitCode) return AccessKind.WardStaff;
        if (caller.Role == Roles.Citizen && caller.IdHash is not null && (caller.IdHash == row.ApplicantIdHash
            || (row.BeneficiaryAdult && caller.IdHash == row.BeneficiaryIdHash)
            || (row.ApplicantIdHash is null && !PersonalData.IsSealed(row.ApplicantIdNumber.Stored) && caller.IdNumber == row.ApplicantIdNumber.Stored)))
            return AccessKind.Owner;   // the second: a row from before encryption and hashing, until `rekey` seals it
        if (trackingSecret is not null && TrackingSecret.Matches(trackingSecret, row.TrackingSecretHash)) return AccessKind.TrackingSecret;
        return AccessKind.None;
    }

    /// <summary>Which audience's view the caller gets (see <see cref="FieldAudiences"/> and <see cref="TimelineAudience"/>).</summary>
    public static Audience AudienceOf(AccessKind access) => access switch
    {
        AccessKind.Owner => Audience.Applicant,
        AccessKind.TrackingSecret => Audience.SecretHolder,
        AccessKind.WardStaff or AccessKind.Provincial => Audience.Staff,
        AccessKind.Client => Audience.Client,
        _ => throw new ArgumentOutOfRangeException(nameof(access), access, "no audience without access"),
    };

    /// <summary>Whether the read shows someone else's unmasked data, and so goes into the person's access log (staff, clients).</summary>
    public static bool ReadsSomeoneElses(AccessKind access) => AudienceOf(access) is Audience.Staff or Audience.Client;

    /// <summary>The role the transition table is checked against.</summary>
    public static string RuleRole(Caller caller, AccessKind access) =>
        access is AccessKind.Owner or AccessKind.TrackingSecret ? Roles.Citizen : caller.Role;

    public static async Task<(DossierRow Row, AccessKind Access)> LoadAsync(Db db, string code, Caller caller, string? secret, CancellationToken ct,
        string clientScope = Scopes.ReadDossiers)
    {
        var row = DossierCode.IsWellFormed(code)
            ? await db.SingleOrDefaultAsync<DossierRow>(Sql.ByCode, new { Code = code }, ct)
            : null;
        return Checked(row, code, caller, secret, clientScope);
    }

    public static async Task<(DossierRow Row, AccessKind Access)> LoadAsync(DbWrite tx, string code, Caller caller, string? secret)
    {
        var row = DossierCode.IsWellFormed(code)
            ? await tx.SingleOrDefaultAsync<DossierRow>(Sql.ByCode, new { Code = code })
            : null;
        return Checked(row, code, caller, secret);
    }

    private static (DossierRow, AccessKind) Checked(DossierRow? row, string code, Caller caller, string? secret, string clientScope = Scopes.ReadDossiers)
    {
        // Compare a secret even when the row is missing, so timing does not tell whether the code exists.
        var access = row is null ? AccessKind.None : Of(caller, row, secret, clientScope);
        if (row is null) TrackingSecret.Matches(secret, new string('0', 64));
        if (access == AccessKind.None) throw ProblemException.NotFound($"hồ sơ {code} (hoặc bạn không có quyền xem)");
        return (row!, access);
    }
}
