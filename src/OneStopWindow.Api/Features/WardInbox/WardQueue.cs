using System.Globalization;
using System.Text;
using Mediator;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Api.Infrastructure.Text;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.WardInbox;

public sealed record QueueItemResponse(string Code, string ProcedureCode, string Status, string ApplicantName, DateTimeOffset ReceivedAt,
    DateOnly AppointmentDate, bool Overdue, bool AtRisk, bool ClockPaused, bool Escalated, string? AssignedOfficer, string? PossibleDuplicateOf, int Version,
    QueuePriorityResponse? Priority, bool? FiledByOther = null, string? FiledByNote = null);

/// <summary>Why a dossier stands where it does in a priority-ordered queue (see the rule in the operation description).</summary>
/// <param name="Urgency">0 overdue, 1 at risk, 2 within time.</param>
/// <param name="Need">Need score at equal urgency: zone + ethnic-minority region + vulnerable applicant.</param>
public sealed record QueuePriorityResponse(int Urgency, int Need, IReadOnlyList<string> Reasons);

/// <summary>A page of a work queue, by appointment date; pass <c>nextAfter</c> back as <c>after</c>.</summary>
public sealed record QueuePageResponse(IReadOnlyList<QueueItemResponse> Items, string? NextAfter);

/// <summary>The filters of a work queue. Empty means "any".</summary>
/// <param name="Order">`appointment` (default; keyset paging) or `priority` (the documented priority rule; paging by position).</param>
public sealed record QueueFilter(string? Status, string? Procedure, bool? Overdue, bool? AtRisk, DateOnly? ReceivedFrom, DateOnly? ReceivedTo,
    string? Q, int? Limit, string? After, string? Order = null)
{
    public bool ByPriority => Order == "priority";
}

public sealed record GetWardQueue(string WardCode, Caller Caller, QueueFilter Filter) : IQuery<QueuePageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => QueueQuery.Check(Filter);
}

public sealed record GetMyDossiers(Caller Caller, QueueFilter Filter) : IQuery<QueuePageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => QueueQuery.Check(Filter);
}

/// <summary>Open dossiers the SLA job escalated to the province.</summary>
public sealed record GetEscalations(Caller Caller, QueueFilter Filter) : IQuery<QueuePageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => QueueQuery.Check(Filter);
}

/// <summary>
/// Keyset pagination on (appointment_date, code), served by the index ix_dossier_ward_queue: each page costs
/// the same whether the ward has a hundred dossiers or a million. Filters narrow the scan.
/// </summary>
public sealed class QueueQuery(Db db, TimeProvider clock, WorkingCalendarProvider calendars, Infrastructure.AccessLog.AccessRecorder accessLog,
    Microsoft.Extensions.Options.IOptions<SlaOptions> sla)
    : IQueryHandler<GetWardQueue, QueuePageResponse>, IQueryHandler<GetMyDossiers, QueuePageResponse>, IQueryHandler<GetEscalations, QueuePageResponse>
{
    public static IEnumerable<FieldError> Check(QueueFilter f)
    {
        if (f.Status is not null && !Enum.TryParse<DossierStatus>(f.Status, out _))
            yield return new("status", $"Trạng thái phải là một trong: {string.Join(", ", Enum.GetNames<DossierStatus>())}.");
        if (f.Limit is < 1 or > 200) yield return new("limit", "Số bản ghi mỗi trang từ 1 đến 200.");
        if (f.Q?.Length > 100) yield return new("q", "Từ khóa tối đa 100 ký tự.");
        if (f.Procedure?.Length > 32) yield return new("procedure", "Mã thủ tục không hợp lệ.");
        if (f.Order is not (null or "appointment" or "priority")) yield return new("order", "Thứ tự là 'appointment' hoặc 'priority'.");
        if (f.After is not null && (f.ByPriority ? Cursor.DecodeOffset(f.After) is null : Cursor.Decode(f.After) is null))
            yield return new("after", "Con trỏ trang không hợp lệ.");
        if (f.ReceivedFrom > f.ReceivedTo) yield return new("receivedFrom", "Khoảng thời gian không hợp lệ.");
    }

    public async ValueTask<QueuePageResponse> Handle(GetWardQueue query, CancellationToken ct)
    {
        var c = query.Caller;
        if (c.Role == "anonymous") throw new ProblemException(StatusCodes.Status401Unauthorized, "unauthenticated", "Cần đăng nhập");
        var allowed = c.ServesWard(query.WardCode);
        if (!allowed)
            throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-queue", "Không có quyền xem hàng đợi này",
                "Cán bộ xã/phường chỉ xem hàng đợi của đơn vị mình.");
        return await PageAsync(query.Filter.ByPriority ? Sql.WardByPriority : Sql.Ward, new { Ward = query.WardCode }, query.Filter, ct, reader: c);
    }

    public async ValueTask<QueuePageResponse> Handle(GetMyDossiers query, CancellationToken ct) =>
        await PageAsync(Sql.Mine, new { query.Caller.IdHash }, query.Filter, ct, mine: query.Caller.IdHash);

    public async ValueTask<QueuePageResponse> Handle(GetEscalations query, CancellationToken ct) =>
        await PageAsync(query.Filter.ByPriority ? Sql.EscalatedByPriority : Sql.Escalated, new { }, query.Filter, ct, reader: query.Caller);

    /// <param name="mine">The caller's own hash on their list: each item then says whether someone else filed it, and nothing about whom.</param>
    /// <param name="reader">Staff reading a queue: the page goes into the access log of every dossier on it, as one entry.</param>
    private async Task<QueuePageResponse> PageAsync(string scopeSql, object scopeArgs, QueueFilter f, CancellationToken ct, string? mine = null, Caller? reader = null)
    {
        var horizon = Deadline.Horizon.On(DossierViews.Today(clock), await calendars.GetAsync(ct), sla.Value.AtRiskWorkingDays);
        var limit = f.Limit ?? 50;
        var cursor = f.After is null || f.ByPriority ? null : Cursor.Decode(f.After);
        var offset = f.After is not null && f.ByPriority ? Cursor.DecodeOffset(f.After) ?? 0 : 0;
        var args = new Dapper.DynamicParameters(scopeArgs);
        args.AddDynamicParams(new
        {
            Status = f.Status,
            Procedure = f.Procedure,
            OnlyOverdue = f.Overdue == true ? 1 : 0,
            horizon.Today,
            OnlyAtRisk = f.AtRisk == true ? 1 : 0,
            horizon.RiskDate,
            From = f.ReceivedFrom is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)) : (DateTimeOffset?)null,
            To = f.ReceivedTo is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)) : (DateTimeOffset?)null,
            Pattern = string.IsNullOrWhiteSpace(f.Q) ? null : SearchText.ContainsPattern(f.Q),
            CodePrefix = string.IsNullOrWhiteSpace(f.Q) ? null : f.Q.Trim() + "%",
            AfterDate = cursor?.Date,
            AfterCode = cursor?.Code,
            Limit = limit + 1,
            Offset = offset,
        });
        var rows = await db.QueryAsync<DossierRow>(f.ByPriority ? db.Dialect.Page(scopeSql) : db.Dialect.Limit(scopeSql), args, ct);
        if (reader is not null && rows.Count > 0) accessLog.Record(reader, Infrastructure.AccessLog.AccessKinds.QueuePage, "dossier", rows.Take(limit).Select(r => r.Id));
        var items = rows.Take(limit).Select(r =>
        {
            var overdue = Deadline.IsOverdue(r.DeadlineFacts, horizon);
            var atRisk = Deadline.IsAtRisk(r.DeadlineFacts, horizon);
            QueuePriorityResponse? priority = null;
            if (f.ByPriority)
            {
                var (urgency, need, reasons) = Zones.PriorityReasons.Explain(Deadline.Urgency(r.DeadlineFacts, horizon), horizon.AtRiskWorkingDays,
                    r.Zone, r.EthnicRegion, r.Vulnerability);
                priority = new(urgency, need, reasons);
            }
            if (mine is not null)
            {
                // The citizen's own list: no staff fields, and a dossier filed under their number by someone else says so.
                var other = r.OwnerIdHash != mine;
                return new QueueItemResponse(r.Code, r.ProcedureCode, r.Status, r.ApplicantName, r.ReceivedAt, r.AppointmentDate, overdue, atRisk,
                    r.ClockPausedAt is not null, r.EscalatedAt is not null, null, null, r.Version, priority, other,
                    other ? "Nộp bởi người khác (hoặc không đăng nhập). Nếu bạn không đề nghị, bạn có thể rút hoặc báo cáo hồ sơ này." : null);
            }
            return new QueueItemResponse(r.Code, r.ProcedureCode, r.Status, r.ApplicantName, r.ReceivedAt, r.AppointmentDate, overdue, atRisk,
                r.ClockPausedAt is not null, r.EscalatedAt is not null, r.AssignedOfficer, r.PossibleDuplicateOf, r.Version, priority);
        }).ToList();
        if (rows.Count <= limit) return new(items, null);
        return new(items, f.ByPriority ? Cursor.EncodeOffset(offset + limit) : Cursor.Encode(items[^1].AppointmentDate, items[^1].Code));
    }

    /// <summary>Opaque to clients: base64url of "yyyy-MM-dd|code".</summary>
    internal static class Cursor
    {
        public static string Encode(DateOnly date, string code) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{date:yyyy-MM-dd}|{code}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static string EncodeOffset(int offset) => "p" + offset.ToString(CultureInfo.InvariantCulture);

        public static int? DecodeOffset(string cursor) =>
            cursor.StartsWith('p') && int.TryParse(cursor.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var o) && o <= 1_000_000 ? o : null;

        public static (DateOnly Date, string Code)? Decode(string cursor)
        {
            try
            {
                var b64 = cursor.Replace('-', '+').Replace('_', '/');
                b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('|');
                return parts.Length == 2 && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                       && DossierCode.IsWellFormed(parts[1]) ? (d, parts[1]) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    // Priority order (Domain's Priority): urgency, then need, then appointment date and code. Same filters, no keyset.
    private static readonly string PriorityColumns = "SELECT " + DossierAccess.SelectList + $"""
        ,
               {Deadline.Sql.Urgency} AS urgency_rank, need_score,
               (SELECT z.zone FROM ward_zone z WHERE z.ward_code = dossier.handling_ward_code AND z.valid_to IS NULL) AS zone,
               (SELECT z.ethnic_region FROM ward_zone z WHERE z.ward_code = dossier.handling_ward_code AND z.valid_to IS NULL) AS ethnic_region
        FROM dossier
        """;

    private const string PriorityOrder = "\nORDER BY " + Priority.OrderBySql;

    private const string Filters = $"""

          AND (@Status IS NULL OR status = @Status)
          AND (@Procedure IS NULL OR procedure_code = @Procedure)
          AND (@OnlyOverdue = 0 OR {Deadline.Sql.Overdue})
          AND (@OnlyAtRisk = 0 OR {Deadline.Sql.AtRisk})
          AND (@From IS NULL OR received_at >= @From)
          AND (@To IS NULL OR received_at < @To)
          AND (@Pattern IS NULL OR applicant_search LIKE @Pattern OR code LIKE @CodePrefix)
          AND (@AfterDate IS NULL OR appointment_date > @AfterDate OR (appointment_date = @AfterDate AND code > @AfterCode))
        """;

    private const string ByAppointment = "\nORDER BY appointment_date, code";

    internal static class Sql
    {
        public const string Ward = DossierAccess.Sql.SelectColumns + "\nWHERE handling_ward_code = @Ward" + Filters + ByAppointment;
        // The applicant's own, and those filed for them as an adult beneficiary.
        public const string Mine = DossierAccess.Sql.SelectColumns + "\nWHERE (applicant_id_hash = @IdHash OR (beneficiary_id_hash = @IdHash AND beneficiary_adult = 1))"
            + Filters + ByAppointment;
        public const string Escalated = DossierAccess.Sql.SelectColumns
            + "\nWHERE escalated_at IS NOT NULL AND " + Deadline.Sql.Open + Filters + ByAppointment;
        public static readonly string WardByPriority = PriorityColumns + "\nWHERE handling_ward_code = @Ward" + Filters + PriorityOrder;
        public static readonly string EscalatedByPriority = PriorityColumns
            + "\nWHERE escalated_at IS NOT NULL AND " + Deadline.Sql.Open + Filters + PriorityOrder;
    }
}
