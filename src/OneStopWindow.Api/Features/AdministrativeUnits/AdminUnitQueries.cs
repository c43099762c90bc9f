using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Api.Infrastructure.Text;

namespace OneStopWindow.Api.Features.AdministrativeUnits;

/// <summary>Whether a code is one of Phú Thọ's current wards/communes — the one check every slice that takes a ward code uses.</summary>
public static class PhuThoWards
{
    public static async Task<bool> ExistsAsync(Db db, string code, CancellationToken ct) =>
        await db.SingleOrDefaultAsync<string>(Sql.Current, new { Code = code }, ct) is not null;

    public static async Task<bool> ExistsAsync(DbWrite tx, string code) => await tx.SingleOrDefaultAsync<string>(Sql.Current, new { Code = code }) is not null;

    internal static class Sql
    {
        public const string Current = """
            SELECT code FROM admin_unit
            WHERE era = 'current' AND code = @Code AND province_code = '25' AND unit_type IN ('ward', 'commune')
            """;
    }
}

/// <summary>
/// A code is always read with its era: 69 of Phú Thọ's current codes named a different unit before
/// 1 Jul 2025, so "04795" is Phường Hòa Bình today and Phường Thịnh Lang before.
/// </summary>
public static class Eras
{
    public const string Current = "current";
    public const string Pre2025 = "pre2025";

    public static bool IsKnown(string? era) => era is Current or Pre2025;

    public static IEnumerable<FieldError> Check(string? era)
    {
        if (era is not null && !IsKnown(era))
            yield return new("era", "Thời kỳ phải là 'current' (từ 01/07/2025) hoặc 'pre2025' (trước 01/07/2025).");
    }
}

public sealed record AdminUnitResponse(
    string Code, string Era, string Name, string FullName, string Type, string? ParentCode, string ProvinceCode,
    DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record AdminUnitLinkResponse(string Code, string Era, string FullName, string Type, string Transfer, string? ResolutionClause);

/// <summary>One unit with the units it came from (current era) or went into (pre-2025 era).</summary>
public sealed record AdminUnitDetailResponse(
    AdminUnitResponse Unit, IReadOnlyList<AdminUnitLinkResponse> Successors, IReadOnlyList<AdminUnitLinkResponse> Predecessors,
    bool NeedsReverification, string? Note);

public sealed record AdminUnitPageResponse(IReadOnlyList<AdminUnitResponse> Items, string? NextAfter);

public sealed record ListAdminUnits(string? Era, string? Parent, string? Type, string? Q, int? Limit, string? After)
    : IQuery<AdminUnitPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        foreach (var e in Eras.Check(Era)) yield return e;
        if (Limit is < 1 or > 500) yield return new("limit", "Số bản ghi mỗi trang từ 1 đến 500.");
        if (Q?.Length > 100) yield return new("q", "Từ khóa tìm kiếm tối đa 100 ký tự.");
        if (Parent is { Length: > 8 }) yield return new("parent", "Mã đơn vị cha không hợp lệ.");
        if (After is { Length: > 8 }) yield return new("after", "Con trỏ trang không hợp lệ.");
    }
}

public sealed record GetAdminUnit(string Code, string? Era) : IQuery<AdminUnitDetailResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => Eras.Check(Era);
}

public sealed class AdminUnitQueryHandler(Db db)
    : IQueryHandler<ListAdminUnits, AdminUnitPageResponse>, IQueryHandler<GetAdminUnit, AdminUnitDetailResponse>
{
    private static readonly DateOnly ReformDay = new(2025, 7, 1);

    public async ValueTask<AdminUnitPageResponse> Handle(ListAdminUnits query, CancellationToken ct)
    {
        var limit = query.Limit ?? 100;
        var rows = await db.QueryAsync<Row>(db.Dialect.Limit(Sql.List), new
        {
            Era = query.Era ?? Eras.Current,
            Parent = Blank(query.Parent),
            Type = Blank(query.Type),
            Pattern = SearchText.ContainsPattern(query.Q),
            After = Blank(query.After),
            Limit = limit + 1,
        }, ct);
        var items = rows.Take(limit).Select(ToResponse).ToList();
        return new(items, rows.Count > limit ? items[^1].Code : null);
    }

    public async ValueTask<AdminUnitDetailResponse> Handle(GetAdminUnit query, CancellationToken ct)
    {
        var era = query.Era ?? Eras.Current;
        var row = await db.SingleOrDefaultAsync<Row>(Sql.Get, new { Era = era, Code = query.Code.Trim() }, ct)
                  ?? throw ProblemException.NotFound($"đơn vị hành chính mã {query.Code} ({era})");
        var unit = ToResponse(row);
        if (era == Eras.Pre2025)
        {
            var successors = await db.QueryAsync<LinkRow>(Sql.Successors, new { row.Code, SuccessorEra = Eras.Current }, ct);
            var split = successors.Count > 1;
            var note = successors.Count == 0
                ? (row.UnitType is "district" or "city" or "town" or "urban_district" && row.ParentCode is not null
                    ? "Cấp huyện đã kết thúc hoạt động từ 01/07/2025; xem các xã/phường trực thuộc để biết đơn vị kế thừa."
                    : null)
                : split ? "Đơn vị cũ được chia cho nhiều đơn vị mới; địa chỉ thuộc đơn vị này cần xác minh thôn/xóm." : null;
            return new(unit, successors.Select(l => ToLink(l, Eras.Current)).ToList(), [], split, note);
        }
        var predecessors = await db.QueryAsync<LinkRow>(Sql.Predecessors, new { row.Code, PredecessorEra = Eras.Pre2025 }, ct);
        return new(unit, [], predecessors.Select(l => ToLink(l, Eras.Pre2025)).ToList(), false, null);
    }

    private static AdminUnitResponse ToResponse(Row r) => new(
        r.Code, r.Era, r.Name, r.FullName, r.UnitType, r.ParentCode, r.ProvinceCode,
        r.Era == Eras.Current ? ReformDay : null,
        r.Era == Eras.Pre2025 ? ReformDay.AddDays(-1) : null);

    private static AdminUnitLinkResponse ToLink(LinkRow l, string era) => new(l.Code, era, l.FullName, l.UnitType, l.Transfer, l.ResolutionClause);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private sealed record Row
    {
        public string Era { get; init; } = "";
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string FullName { get; init; } = "";
        public string UnitType { get; init; } = "";
        public string? ParentCode { get; init; }
        public string ProvinceCode { get; init; } = "";
    }

    private sealed record LinkRow
    {
        public string Code { get; init; } = "";
        public string FullName { get; init; } = "";
        public string UnitType { get; init; } = "";
        public string Transfer { get; init; } = "";
        public string? ResolutionClause { get; init; }
    }

    internal static class Sql
    {
        public const string List = """
            SELECT era, code, name, full_name, unit_type, parent_code, province_code FROM admin_unit
            WHERE era = @Era
              AND (@Parent IS NULL OR parent_code = @Parent)
              AND (@Type IS NULL OR unit_type = @Type)
              AND search_text LIKE @Pattern
              AND (@After IS NULL OR code > @After)
            ORDER BY code
            """;
        public const string Get = """
            SELECT era, code, name, full_name, unit_type, parent_code, province_code FROM admin_unit
            WHERE era = @Era AND code = @Code
            """;
        // Successors of an old unit are read in the current era, predecessors of a new unit in the old one:
        // the join names the era explicitly, never matching a code across eras.
        public const string Successors = """
            SELECT u.code, u.full_name, u.unit_type, s.transfer, s.resolution_clause
            FROM unit_succession s JOIN admin_unit u ON u.era = @SuccessorEra AND u.code = s.new_code
            WHERE s.old_code = @Code
            ORDER BY u.code
            """;
        public const string Predecessors = """
            SELECT u.code, u.full_name, u.unit_type, s.transfer, s.resolution_clause
            FROM unit_succession s JOIN admin_unit u ON u.era = @PredecessorEra AND u.code = s.old_code
            WHERE s.new_code = @Code
            ORDER BY u.code
            """;
    }
}
