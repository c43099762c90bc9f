using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

/// <summary>The signed-in beneficiary changes how they are paid (their own only: the person comes from the token).</summary>
public sealed record SetMyPaymentMethod(Caller Caller, string? IfMatch, SetPaymentMethodRequest Body) : ICommand<MyPaymentMethodResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => PaymentMethodInput.Validate(Body);
}

/// <summary>404 for someone the register pays nothing; 409 when none of their entitlements is open any more.</summary>
public sealed class SetMyPaymentMethodHandler(PaymentMethodViews views, PaymentMethodWriter writer) : ICommandHandler<SetMyPaymentMethod, MyPaymentMethodResponse>
{
    public async ValueTask<MyPaymentMethodResponse> Handle(SetMyPaymentMethod cmd, CancellationToken ct)
    {
        var (idHash, mine) = await GetMyPaymentMethodHandler.MineAsync(views, cmd.Caller, ct);
        if (!mine.Any(e => EntitlementRules.Open.Contains(e.State)))
            throw ProblemException.Conflict("no-open-entitlement", "Không có khoản trợ cấp đang hưởng",
                "Ông/bà hiện không có khoản trợ cấp hằng tháng nào đang được chi trả.");
        await writer.SetAsync(new PaymentOwner(idHash, null), mine, new(cmd.Caller, PaymentMethodStore.CitizenChannel, null), cmd.IfMatch,
            PaymentMethodInput.Choice(cmd.Body), ct);
        return await views.MineAsync(cmd.Caller, idHash, mine, ct);
    }
}
