using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

public sealed record GetMyPaymentMethod(Caller Caller) : IQuery<MyPaymentMethodResponse>;

/// <summary>The signed-in beneficiary's own payment method (numbers masked); 404 for someone the register pays nothing.</summary>
public sealed class GetMyPaymentMethodHandler(PaymentMethodViews views) : IQueryHandler<GetMyPaymentMethod, MyPaymentMethodResponse>
{
    public async ValueTask<MyPaymentMethodResponse> Handle(GetMyPaymentMethod query, CancellationToken ct)
    {
        var (idHash, mine) = await MineAsync(views, query.Caller, ct);
        return await views.MineAsync(query.Caller, idHash, mine, ct);
    }

    /// <summary>The caller's keyed hash and their entitlements as beneficiary; 403 without an identity, 404 without an entitlement.</summary>
    internal static async Task<(string IdHash, IReadOnlyList<EntitlementRow> Mine)> MineAsync(PaymentMethodViews views, Caller caller, CancellationToken ct)
    {
        if (caller.IdHash is not { } idHash) throw ProblemException.Forbidden("Cần đăng nhập bằng tài khoản định danh của người hưởng.");
        var mine = await views.OfPersonAsync(idHash, ct);
        if (mine.Count == 0) throw ProblemException.NotFound("khoản trợ cấp hằng tháng nào của ông/bà");
        return (idHash, mine);
    }
}
