using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Dossiers.GetAccessLog;

/// <param name="SubjectKind">What was read: <c>dossier</c> or <c>beneficiary</c>.</param>
/// <param name="Subject">The dossier's code or the beneficiary record's id (never the person's data).</param>
public sealed record WardAccessEntryResponse(DateTimeOffset ReadAt, string Kind, string SubjectKind, string Subject, string ReaderRole,
    string? ReaderUnit, string ReaderId);

/// <param name="Next">Pass as <c>cursor</c> for the next (older) page; null on the last page.</param>
public sealed record WardAccessLogResponse(string WardCode, IReadOnlyList<WardAccessEntryResponse> Entries, string? Next);

public sealed record GetWardAccessLog(string WardCode, Caller Caller, string? Cursor, int Limit) : Mediator.IQuery<WardAccessLogResponse>, IValidatable
{
    public const int MaxLimit = 500;

    public IEnumerable<FieldError> Validate()
    {
        if (Limit is < 1 or > MaxLimit) yield return new("limit", $"Số dòng mỗi trang từ 1 đến {MaxLimit}.");
        if (Cursor is not null && Position.Parse(Cursor) is null) yield return new("cursor", "Con trỏ trang không hợp lệ; dùng giá trị 'next' của trang trước.");
    }

    /// <summary>Where a page ends: the time and row id of its last entry (rows of one queue page share the time).</summary>
    public sealed record Position(DateTimeOffset ReadAt, Guid Id)
    {
        public override string ToString() => ReadAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Id.ToString("N");

        public static Position? Parse(string cursor) =>
            cursor.Split('.') is [var ticks, var id] && long.TryParse(ticks, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t)
                && t is >= 0 and <= 3155378975999999999 && Guid.TryParseExact(id, "N", out var g)
                ? new(new DateTimeOffset(t, TimeSpan.Zero), g) : null;
    }
}

/// <summary>
/// The access log of one ward's dossiers and beneficiary records, newest first: who read the data the ward holds. Staff of
/// that ward and provincial officers; anyone else gets 404 as for a ward they cannot see.
/// </summary>
public sealed class GetWardAccessLogHandler(Db db) : Mediator.IQueryHandler<GetWardAccessLog, WardAccessLogResponse>
{
    public async ValueTask<WardAccessLogResponse> Handle(GetWardAccessLog query, CancellationToken ct)
    {
        var c = query.Caller;
        if (!c.ServesWard(query.WardCode))
            throw ProblemException.NotFound($"nhật ký truy cập của xã/phường {query.WardCode}");
        var after = query.Cursor is null ? null : GetWardAccessLog.Position.Parse(query.Cursor);
        var rows = await db.QueryAsync<Row>(db.Dialect.Limit(after is null ? Sql.ForWard : Sql.ForWardBefore),
            new { Ward = query.WardCode, Before = after?.ReadAt, BeforeId = after?.Id, Limit = query.Limit + 1 }, ct);
        var page = rows.Take(query.Limit).ToList();
        return new(query.WardCode,
            page.Select(r => new WardAccessEntryResponse(r.ReadAt, r.Kind, r.SubjectKind, r.Subject, r.ReaderRole, r.ReaderUnit, r.ReaderId)).ToList(),
            rows.Count > query.Limit ? new GetWardAccessLog.Position(page[^1].ReadAt, page[^1].RowId).ToString() : null);
    }

    private sealed record Row
    {
        public Guid RowId { get; init; }
        public DateTimeOffset ReadAt { get; init; }
        public string Kind { get; init; } = "";
        public string SubjectKind { get; init; } = "";
        public string Subject { get; init; } = "";
        public string ReaderRole { get; init; } = "";
        public string? ReaderUnit { get; init; }
        public string ReaderId { get; init; } = "";
    }

    internal static class Sql
    {
        public static readonly string ForWard = ForWardWhere("");
        public static readonly string ForWardBefore = ForWardWhere(" AND (a.read_at < @Before OR (a.read_at = @Before AND a.id < @BeforeId))");

        private static string ForWardWhere(string older) => $"""
            SELECT a.id AS row_id, a.read_at AS read_at, a.kind, a.subject_kind, d.code AS subject, a.reader_role, a.reader_unit, a.reader_id
            FROM access_log a JOIN dossier d ON d.id = a.subject_id
            WHERE a.subject_kind = 'dossier' AND d.handling_ward_code = @Ward{older}
            UNION ALL
            SELECT a.id AS row_id, a.read_at AS read_at, a.kind, a.subject_kind, CAST(b.id AS NVARCHAR(36)) AS subject, a.reader_role, a.reader_unit, a.reader_id
            FROM access_log a JOIN beneficiary b ON b.id = a.subject_id
            WHERE a.subject_kind = 'beneficiary' AND b.ward_code = @Ward{older}
            ORDER BY read_at DESC, row_id DESC
            """;
    }
}
