using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.GetStatus;

/// <summary>What a tracking citizen sees: status, handling ward, appointment. Personal data is masked.</summary>
public sealed record DossierStatusResponse(
    string Code, string ProcedureCode, string Status, int NationalStatusCode, string StatusLabel, string Channel,
    DateTimeOffset ReceivedAt, DateOnly AppointmentDate, bool Overdue, string? HandlingWardCode, string? HandlingWardName,
    string ApplicantName, string ApplicantIdNumber, string ApplicantPhone, string? PossibleDuplicateOf, DateTimeOffset UpdatedAt);

public sealed record GetDossierStatus(string Code, string? TrackingSecret, bool English) : IQuery<DossierStatusResponse>;

public sealed class GetDossierStatusHandler(Db db, TimeProvider clock) : IQueryHandler<GetDossierStatus, DossierStatusResponse>
{
    public async ValueTask<DossierStatusResponse> Handle(GetDossierStatus query, CancellationToken ct)
    {
        var row = await TrackedDossier.LoadAsync<Row>(db, Sql.Load, query.Code, query.TrackingSecret, ct);
        var status = Enum.Parse<DossierStatus>(row.Status);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Domain.Calendar.Appointment.VietnamTime).DateTime);
        return new(row.Code, row.ProcedureCode, row.Status, status.NationalCode(), status.Label(query.English), row.Channel,
            row.ReceivedAt, row.AppointmentDate, today > row.AppointmentDate, row.HandlingWardCode, row.HandlingWardName,
            MaskName(row.ApplicantName), PersonalIdNumber.Mask(row.ApplicantIdNumber), PhoneNumber.Mask(row.ApplicantPhone),
            row.PossibleDuplicateOf, row.UpdatedAt);
    }

    /// <summary>"Nguyễn Văn An" → "N. V. An": enough to recognise one's own dossier, not to identify someone else.</summary>
    internal static string MaskName(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', parts.Select((p, i) => i == parts.Length - 1 ? p : p[..1] + "."));
    }

    private sealed record Row : TrackedDossier.IRow
    {
        public string Code { get; init; } = "";
        public string TrackingSecretHash { get; init; } = "";
        public string ProcedureCode { get; init; } = "";
        public string Status { get; init; } = "";
        public string Channel { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
        public DateOnly AppointmentDate { get; init; }
        public string? HandlingWardCode { get; init; }
        public string? HandlingWardName { get; init; }
        public string ApplicantName { get; init; } = "";
        public string ApplicantIdNumber { get; init; } = "";
        public string ApplicantPhone { get; init; } = "";
        public string? PossibleDuplicateOf { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    internal static class Sql
    {
        public const string Load = """
            SELECT d.code, d.tracking_secret_hash, d.procedure_code, d.status, d.channel, d.received_at, d.appointment_date,
                   d.handling_ward_code, u.full_name AS handling_ward_name, d.applicant_name, d.applicant_id_number,
                   d.applicant_phone, d.possible_duplicate_of, d.updated_at
            FROM dossier d LEFT JOIN admin_unit u ON u.era = 'current' AND u.code = d.handling_ward_code
            WHERE d.code = @Code
            """;
    }
}

/// <summary>
/// Loads a dossier for a caller who holds only its code and tracking secret. A wrong or missing
/// secret answers exactly like an unknown code, so codes cannot be probed.
/// </summary>
internal static class TrackedDossier
{
    public interface IRow
    {
        string TrackingSecretHash { get; }
    }

    public static async Task<T> LoadAsync<T>(Db db, string sql, string code, string? secret, CancellationToken ct) where T : IRow
    {
        var row = DossierCode.IsWellFormed(code) ? await db.SingleOrDefaultAsync<T>(sql, new { Code = code }, ct) : default;
        // Compare even when the row is missing, so timing does not tell whether the code exists.
        var matches = TrackingSecret.Matches(secret, row?.TrackingSecretHash ?? new string('0', 64));
        if (row is null || !matches) throw ProblemException.NotFound($"hồ sơ {code} (hoặc mã tra cứu không đúng)");
        return row;
    }
}
