using Mediator;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>A page of a ward's payment lists, latest month first; pass <c>nextAfter</c> (a month) back as <c>after</c>.</summary>
public sealed record PaymentListPageResponse(IReadOnlyList<PaymentListResponse> Items, string? NextAfter);

public sealed record GetWardPaymentLists(string WardCode, Caller Caller, int? Limit, string? After) : IQuery<PaymentListPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (WardCode is not { Length: 5 } || !WardCode.All(char.IsAsciiDigit)) yield return new("wardCode", "Mã xã/phường gồm 5 chữ số.");
        if (Limit is < 1 or > 100) yield return new("limit", "Số danh sách mỗi trang từ 1 đến 100.");
        if (After is not null) foreach (var e in PaymentLists.ValidateMonth(After, "after")) yield return e;
    }
}

/// <summary>Ward staff their ward's lists, provincial officers any ward's (another ward's staff: 403). Heads only: no person; access-logged.</summary>
public sealed class GetWardPaymentListsHandler(Db db, AccessRecorder accessLog) : IQueryHandler<GetWardPaymentLists, PaymentListPageResponse>
{
    public async ValueTask<PaymentListPageResponse> Handle(GetWardPaymentLists query, CancellationToken ct)
    {
        if (!PaymentLists.Sees(query.Caller, query.WardCode))
            throw ProblemException.Forbidden("Cán bộ xã/phường chỉ xem danh sách chi trả của đơn vị mình.");
        var limit = query.Limit ?? 24;
        var rows = await db.QueryAsync<PaymentListRow>(db.Dialect.Limit(Sql.Page), new { Ward = query.WardCode, query.After, Limit = limit + 1 }, ct);
        var page = rows.Take(limit).ToList();
        if (page.Count > 0) accessLog.Record(query.Caller, AccessKinds.PaymentList, "payment-list", page.Select(p => p.Id));
        return new([.. page.Select(p => p.ToResponse())], rows.Count > limit ? page[^1].Month : null);
    }

    internal static class Sql
    {
        public const string Page = PaymentLists.Sql.Columns + """

            WHERE p.ward_code = @Ward AND (@After IS NULL OR p.month < @After)
            ORDER BY p.month DESC
            """;
    }
}
