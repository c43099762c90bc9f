using Mediator;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>An entitlement in a ward's list (no amounts: read one entitlement for its months and amounts).</summary>
public sealed record EntitlementItemResponse(Guid Id, string FullName, string BenefitCode, string StartMonth, string? EndMonth, string Status,
    string AmountSource, int Version);

/// <summary>A page of a ward's register; pass <c>nextAfter</c> back as <c>after</c>.</summary>
public sealed record EntitlementPageResponse(IReadOnlyList<EntitlementItemResponse> Items, string? NextAfter);

public sealed record GetWardEntitlements(string WardCode, Caller Caller, string? Status, string? Benefit, int? Limit, string? After)
    : IQuery<EntitlementPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (WardCode is not { Length: 5 } || !WardCode.All(char.IsAsciiDigit)) yield return new("wardCode", "Mã xã/phường gồm 5 chữ số.");
        if (Status is not null && !Enum.TryParse<EntitlementStatus>(Status, out _))
            yield return new("status", $"Trạng thái là một trong: {string.Join(", ", Enum.GetNames<EntitlementStatus>())}.");
        if (Benefit?.Length > 32) yield return new("benefit", "Mã chế độ không hợp lệ.");
        if (Limit is < 1 or > 200) yield return new("limit", "Số bản ghi mỗi trang từ 1 đến 200.");
        if (After is not null && !Guid.TryParse(After, out _)) yield return new("after", "Con trỏ trang không hợp lệ.");
    }
}

/// <summary>Keyset paging on (ward_code, id), served by the index ix_entitlement_ward: each page costs the same however large the ward's register.</summary>
public sealed class GetWardEntitlementsHandler(Db db, AccessRecorder accessLog) : IQueryHandler<GetWardEntitlements, EntitlementPageResponse>
{
    public async ValueTask<EntitlementPageResponse> Handle(GetWardEntitlements query, CancellationToken ct)
    {
        var c = query.Caller;
        if (!c.ServesWard(query.WardCode))
            throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-register", "Không có quyền xem danh sách này",
                "Cán bộ xã/phường chỉ xem danh sách người hưởng của đơn vị mình.");
        var limit = query.Limit ?? 50;
        var rows = await db.QueryAsync<EntitlementRow>(db.Dialect.Limit(Sql.Page), new
        {
            Ward = query.WardCode,
            query.Status,
            query.Benefit,
            After = query.After is null ? (Guid?)null : Guid.Parse(query.After),
            Limit = limit + 1,
        }, ct);
        var page = rows.Take(limit).ToList();
        if (page.Count > 0) accessLog.Record(c, AccessKinds.EntitlementList, "entitlement", page.Select(r => r.Id));
        return new(page.Select(r => new EntitlementItemResponse(r.Id, r.FullName, r.BenefitCode, r.StartMonth, r.EndMonth, r.Status, r.AmountSource, r.Version))
            .ToList(), rows.Count > limit ? page[^1].Id.ToString() : null);
    }

    internal static class Sql
    {
        public const string Page = EntitlementStore.Sql.Columns + """

            WHERE ward_code = @Ward AND (@Status IS NULL OR status = @Status) AND (@Benefit IS NULL OR benefit_code = @Benefit)
              AND (@After IS NULL OR id > @After)
            ORDER BY id
            """;
    }
}
