using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

/// <summary>Staff record how the beneficiary of an entitlement is paid (for all the person's benefits).</summary>
public sealed record SetPaymentMethod(Guid EntitlementId, Caller Caller, string? IfMatch, SetPaymentMethodRequest Body)
    : ICommand<BeneficiaryPaymentMethodResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => PaymentMethodInput.Validate(Body);
}

/// <summary>
/// Ward officers and chairs of the entitlement's ward, and provincial officers, change it through an open (Active or
/// Suspended) entitlement: the ward that pays the person is the one that records how. Another ward's staff: 404; an
/// administrator: 403; a closed entitlement: 409.
/// </summary>
public sealed class SetPaymentMethodHandler(Db db, PaymentMethodViews views, PaymentMethodWriter writer)
    : ICommandHandler<SetPaymentMethod, BeneficiaryPaymentMethodResponse>
{
    /// <summary>Who may change it; administrators configure the system, not how a person is paid.</summary>
    public static readonly IReadOnlySet<string> MayChange = new HashSet<string>(StringComparer.Ordinal) { Roles.WardOfficer, Roles.WardChair, Roles.ProvincialOfficer };

    public async ValueTask<BeneficiaryPaymentMethodResponse> Handle(SetPaymentMethod cmd, CancellationToken ct)
    {
        var row = await EntitlementStore.LoadAsync(db, cmd.EntitlementId, ct);
        if (row is null || !EntitlementViews.Sees(cmd.Caller, row)) throw EntitlementViews.NotFound(cmd.EntitlementId);
        if (!MayChange.Contains(cmd.Caller.Role))
            throw ProblemException.Forbidden("Phương thức nhận trợ cấp do cán bộ xã/phường chi trả, cán bộ cấp tỉnh hoặc chính người hưởng cập nhật.");
        if (!EntitlementRules.Open.Contains(row.State))
            throw ProblemException.Conflict("entitlement-closed", "Khoản hưởng đã kết thúc",
                $"Khoản hưởng đang ở trạng thái {row.Status}: phương thức nhận trợ cấp được cập nhật qua khoản hưởng đang chi trả.");
        await writer.SetAsync(PaymentOwner.Of(row), await views.OfOwnerAsync(row, ct), new(cmd.Caller, PaymentMethodStore.StaffChannel, row.Id), cmd.IfMatch,
            PaymentMethodInput.Choice(cmd.Body), ct);
        return await views.StaffAsync(cmd.Caller, row, ct);
    }
}
