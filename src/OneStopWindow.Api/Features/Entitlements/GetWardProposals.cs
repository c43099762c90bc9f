using Mediator;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>A page of a ward's proposals; pass <c>nextAfter</c> back as <c>after</c>.</summary>
public sealed record EntitlementProposalPageResponse(IReadOnlyList<EntitlementProposalResponse> Items, string? NextAfter);

public sealed record GetWardProposals(string WardCode, Caller Caller, string? Status, int? Limit, string? After)
    : IQuery<EntitlementProposalPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (WardCode is not { Length: 5 } || !WardCode.All(char.IsAsciiDigit)) yield return new("wardCode", "Mã xã/phường gồm 5 chữ số.");
        if (Status is not (null or ProposalStatuses.Open or ProposalStatuses.Confirmed or ProposalStatuses.Dismissed))
            yield return new("status", "Trạng thái là một trong: open, confirmed, dismissed.");
        if (Limit is < 1 or > 200) yield return new("limit", "Số bản ghi mỗi trang từ 1 đến 200.");
        if (After is not null && !Guid.TryParse(After, out _)) yield return new("after", "Con trỏ trang không hợp lệ.");
    }
}

/// <summary>A ward's proposals (default: the open ones), oldest first by keyset on the proposal's id; each page read is access-logged.</summary>
public sealed class GetWardProposalsHandler(Db db, AccessRecorder accessLog) : IQueryHandler<GetWardProposals, EntitlementProposalPageResponse>
{
    public async ValueTask<EntitlementProposalPageResponse> Handle(GetWardProposals query, CancellationToken ct)
    {
        var c = query.Caller;
        if (!c.ServesWard(query.WardCode))
            throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-register", "Không có quyền xem danh sách này",
                "Cán bộ xã/phường chỉ xem đề xuất về người hưởng của đơn vị mình.");
        var limit = query.Limit ?? 50;
        var rows = await db.QueryAsync<EntitlementProposals.Row>(db.Dialect.Limit(Sql.Page), new
        {
            Ward = query.WardCode,
            Status = query.Status ?? ProposalStatuses.Open,
            After = query.After is null ? Guid.Empty : Guid.Parse(query.After),
            Closed = new[] { nameof(EntitlementStatus.Ended), nameof(EntitlementStatus.Transferred) },
            Limit = limit + 1,
        }, ct);
        var page = rows.Take(limit).ToList();
        if (page.Count > 0) accessLog.Record(c, AccessKinds.EntitlementProposals, "entitlement", page.Select(r => r.EntitlementId).Distinct());
        return new(page.Select(EntitlementProposals.ToResponse).ToList(), rows.Count > limit ? page[^1].Id.ToString() : null);
    }

    internal static class Sql
    {
        public const string Page = EntitlementProposals.Sql.Columns + """

            WHERE e.ward_code = @Ward AND p.status = @Status AND p.id > @After
              -- An open proposal about an entitlement that has since ended or moved (reported at the ward, say) has nothing left to confirm.
              AND (p.status <> 'open' OR e.status NOT IN @Closed)
            ORDER BY p.id
            """;
    }
}
