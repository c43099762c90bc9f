using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Beneficiaries;

public sealed record ReverificationPageResponse(IReadOnlyList<ReverificationResponse> Items, string? NextAfter);

public sealed record GetReverifications(Caller Caller, string? Ward, string? Status, int? Limit, string? After) : IQuery<ReverificationPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Status is not (null or "open" or "resolved")) yield return new("status", "Trạng thái là 'open' hoặc 'resolved'.");
        if (Ward is not null && Ward != "province" && (Ward.Length != 5 || !Ward.All(char.IsAsciiDigit)))
            yield return new("ward", "Mã xã/phường gồm 5 chữ số, hoặc 'province' cho hàng đợi của tỉnh.");
        if (Limit is < 1 or > 200) yield return new("limit", "Số bản ghi mỗi trang từ 1 đến 200.");
        if (After is not null && !int.TryParse(After, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            yield return new("after", "Con trỏ trang không hợp lệ.");
    }
}

public sealed class GetReverificationsHandler(Db db) : IQueryHandler<GetReverifications, ReverificationPageResponse>
{
    public async ValueTask<ReverificationPageResponse> Handle(GetReverifications q, CancellationToken ct)
    {
        var c = q.Caller;
        string? ward = q.Ward;
        if (!c.IsProvincial)
        {
            if (!c.IsWardStaff || c.WardCode is null) throw ProblemException.Forbidden("Chỉ cán bộ xã/phường và cấp tỉnh xem hàng đợi xác minh lại.");
            if (ward is not null && ward != c.WardCode) throw ProblemException.Forbidden("Cán bộ xã/phường chỉ xem hàng đợi của đơn vị mình.");
            ward = c.WardCode;
        }
        var limit = q.Limit ?? 50;
        var offset = q.After is null ? 0 : int.Parse(q.After, System.Globalization.CultureInfo.InvariantCulture);
        var rows = await db.QueryAsync<ReverificationRow>(db.Dialect.Page(ReverificationStatements.Sql.Queue), new
        {
            Ward = ward is null or "province" ? null : ward,
            Province = ward == "province" ? 1 : 0,
            Status = q.Status ?? "open",
            Limit = limit + 1,
            Offset = offset,
        }, ct);
        return new(rows.Take(limit).Select(r => r.ToResponse()).ToList(),
            rows.Count > limit ? (offset + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}
