using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

public sealed record GetPaymentMethod(Guid EntitlementId, Caller Caller) : IQuery<BeneficiaryPaymentMethodResponse>;

/// <summary>The payment method of an entitlement's beneficiary, numbers masked. Provincial officers, or staff of its ward; anyone else 404. Access-logged.</summary>
public sealed class GetPaymentMethodHandler(Db db, PaymentMethodViews views) : IQueryHandler<GetPaymentMethod, BeneficiaryPaymentMethodResponse>
{
    public async ValueTask<BeneficiaryPaymentMethodResponse> Handle(GetPaymentMethod query, CancellationToken ct)
    {
        var row = await EntitlementStore.LoadAsync(db, query.EntitlementId, ct);
        if (row is null || !EntitlementViews.Sees(query.Caller, row)) throw EntitlementViews.NotFound(query.EntitlementId);
        return await views.StaffAsync(query.Caller, row, ct);
    }
}
