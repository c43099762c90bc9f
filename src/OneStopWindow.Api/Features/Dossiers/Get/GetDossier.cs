using System.Text.Json;
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

public sealed record DecisionResponse(string Number, DateOnly Date, string Outcome, string? LegalBasis, string? EffectiveMonth,
    decimal? AmountVnd, bool? Monthly, decimal? Coefficient, decimal? StandardLevelVnd, string? Reasons);

/// <summary>
/// A dossier as its caller may see it. Holders of the tracking secret get the status with personal data
/// masked; the owner and the handling staff also get the full applicant, the form fields and the decision.
/// </summary>
public sealed record DossierResponse(
    string Code, string ProcedureCode, string Status, int NationalStatusCode, string StatusLabel, string? Outcome, string Channel,
    DateTimeOffset ReceivedAt, DateOnly AppointmentDate, bool ClockPaused, bool AtRisk, bool Overdue, bool Escalated,
    string? HandlingWardCode, string? HandlingWardName, string? AssignedOfficer, ApplicantResponse Applicant,
    string? PossibleDuplicateOf, IReadOnlyList<string> MissingDocuments, JsonElement? FormFields, DecisionResponse? Decision,
    int? Rating, int Version, DateTimeOffset UpdatedAt);

public sealed record GetDossier(string Code, Caller Caller, string? TrackingSecret, bool English) : IQuery<DossierResponse>;

public sealed class GetDossierHandler(Db db, DossierViews views) : IQueryHandler<GetDossier, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(GetDossier query, CancellationToken ct)
    {
        var (row, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct);
        return await views.ToResponseAsync(row, access, query.English, ct);
    }
}

/// <summary>Builds <see cref="DossierResponse"/> for reads and for the answers of staff actions alike.</summary>
public sealed class DossierViews(Db db, WorkingCalendarProvider calendars, TimeProvider clock)
{
    public async Task<DossierResponse> ToResponseAsync(DossierRow row, AccessKind access, bool english, CancellationToken ct)
    {
        var status = row.State;
        var full = access != AccessKind.TrackingSecret;
        var today = Today(clock);
        var calendar = await calendars.GetAsync(ct);
        var wardName = row.HandlingWardCode is null ? null
            : await db.SingleOrDefaultAsync<string>(Sql.WardName, new { Code = row.HandlingWardCode }, ct);
        var missing = await MissingDocumentsAsync(row, ct);
        var applicant = full
            ? new ApplicantResponse(row.ApplicantName, row.ApplicantBirthDate, row.ApplicantIdNumber, row.ApplicantPhone, row.ApplicantEmail)
            : new ApplicantResponse(MaskName(row.ApplicantName), null, PersonalIdNumber.Mask(row.ApplicantIdNumber), PhoneNumber.Mask(row.ApplicantPhone), null);
        var atRisk = status.IsOpen() && row.ClockPausedAt is null && calendar.WorkingDaysBetween(today, row.AppointmentDate) <= 1;
        return new(row.Code, row.ProcedureCode, row.Status, status.NationalCode(), status.Label(english), row.Outcome, row.Channel,
            row.ReceivedAt, row.AppointmentDate, row.ClockPausedAt is not null, atRisk,
            status.IsOpen() && today > row.AppointmentDate || row.OverdueSince is not null, row.EscalatedAt is not null,
            row.HandlingWardCode, wardName, full ? row.AssignedOfficer : null, applicant, full ? row.PossibleDuplicateOf : null, missing,
            full ? JsonDocument.Parse(row.FormData).RootElement.Clone() : null,
            row.DecisionJson is null ? null : JsonSerializer.Deserialize<DecisionResponse>(row.DecisionJson, JsonSerializerOptions.Web),
            row.Rating, row.Version, row.UpdatedAt);
    }

    /// <summary>Required documents of the procedure's checklist that nobody has uploaded yet.</summary>
    public async Task<IReadOnlyList<string>> MissingDocumentsAsync(DossierRow row, CancellationToken ct)
    {
        var procedure = await ProcedureDefinition.LoadAsync(db, row.ProcedureCode, ct);
        if (procedure is null) return [];
        var uploaded = (await db.QueryAsync<string>(Sql.UploadedCodes, new { row.Id }, ct)).ToHashSet();
        return procedure.RequiredUploads.Where(c => !uploaded.Contains(c)).ToList();
    }

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Appointment.VietnamTime).DateTime);

    /// <summary>"Nguyễn Văn An" → "N. V. An": enough to recognise one's own dossier, not to identify someone else.</summary>
    internal static string MaskName(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', parts.Select((p, i) => i == parts.Length - 1 ? p : p[..1] + "."));
    }

    internal static class Sql
    {
        public const string WardName = "SELECT full_name FROM admin_unit WHERE era = 'current' AND code = @Code";
        public const string UploadedCodes = "SELECT DISTINCT document_code FROM dossier_document WHERE dossier_id = @Id";
    }
}
