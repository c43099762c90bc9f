using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

/// <summary>One change of a payment method (staff view): who, through which channel, the method before and after — never a number.</summary>
/// <param name="Version">The payment method's version after the change.</param>
/// <param name="OldMethod">Null for the first method recorded.</param>
/// <param name="Channel">staff (at the ward or province) or citizen (the signed-in beneficiary).</param>
/// <param name="Actor">The staff member's id; "beneficiary" when the beneficiary changed it.</param>
/// <param name="BeneficiaryNotified">A notification was queued on the dossier behind the benefit (an imported record without one: tell the beneficiary in person).</param>
public sealed record PaymentMethodChangeResponse(int Version, string? OldMethod, string NewMethod, string Channel, string Actor, string ActorRole,
    string? ActorUnit, bool BeneficiaryNotified, DateTimeOffset ChangedAt);

/// <summary>The payment method of the beneficiary of an entitlement (for all the person's benefits), as staff read it.</summary>
/// <param name="Current">Null until a method is recorded.</param>
/// <param name="Version">The payment method's version (0 before any is recorded); also the ETag, for If-Match on a change.</param>
/// <param name="HomeDeliveryGrounds">The grounds for home delivery the register's data shows for the person this month (elderly, disability); empty: home delivery is refused.</param>
public sealed record BeneficiaryPaymentMethodResponse(Guid EntitlementId, PaymentMethodResponse? Current, int Version,
    IReadOnlyList<string> HomeDeliveryGrounds, IReadOnlyList<PaymentMethodChangeResponse> History);

/// <summary>One change of the signed-in beneficiary's payment method: when, the method before and after, and whether staff or they made it.</summary>
public sealed record MyPaymentMethodChangeResponse(string? OldMethod, string NewMethod, string Channel, DateTimeOffset ChangedAt);

/// <summary>The signed-in beneficiary's payment method (numbers masked).</summary>
/// <param name="Version">0 before any method is recorded; also the ETag, for If-Match on a change.</param>
/// <param name="HomeDeliveryGrounds">The grounds for home delivery the register shows for you this month; empty: home delivery is not available.</param>
public sealed record MyPaymentMethodResponse(PaymentMethodResponse? Current, int Version, IReadOnlyList<string> HomeDeliveryGrounds,
    IReadOnlyList<MyPaymentMethodChangeResponse> History);

/// <summary>The views of a payment method (staff, the beneficiary), each access-logged; the numbers masked by <see cref="PaymentMethodStore.ToResponse"/>.</summary>
public sealed class PaymentMethodViews(Db db, PersonalData personalData, EntitlementViews views, AccessRecorder accessLog)
{
    public async Task<BeneficiaryPaymentMethodResponse> StaffAsync(Caller caller, EntitlementRow row, CancellationToken ct)
    {
        var owner = PaymentOwner.Of(row);
        var method = await PaymentMethodStore.LoadAsync(db, owner, ct);
        accessLog.Record(caller, AccessKinds.PaymentMethod, "entitlement", [row.Id]);
        var history = await PaymentMethodStore.HistoryAsync(db, method, ct);
        return new(row.Id, PaymentMethodStore.ToResponse(method), method?.Version ?? 0, await GroundsAsync(await OfOwnerAsync(row, ct), ct),
            history.Select(h => new PaymentMethodChangeResponse(h.Version, h.OldMethod, h.NewMethod, h.Channel, h.Actor, h.ActorRole, h.ActorUnit, h.Notified,
                h.ChangedAt)).ToList());
    }

    public async Task<MyPaymentMethodResponse> MineAsync(Caller caller, string idHash, IReadOnlyList<EntitlementRow> mine, CancellationToken ct)
    {
        var method = await PaymentMethodStore.LoadAsync(db, new PaymentOwner(idHash, null), ct);
        if (method is not null) accessLog.Record(caller, AccessKinds.PaymentMethod, "payment-method", [method.Id]);
        var history = await PaymentMethodStore.HistoryAsync(db, method, ct);
        return new(PaymentMethodStore.ToResponse(method), method?.Version ?? 0, await GroundsAsync(mine, ct),
            history.Select(h => new MyPaymentMethodChangeResponse(h.OldMethod, h.NewMethod, h.Channel, h.ChangedAt)).ToList());
    }

    /// <summary>Every entitlement of the row's person (the row alone for a beneficiary without an identity number).</summary>
    public async Task<IReadOnlyList<EntitlementRow>> OfOwnerAsync(EntitlementRow row, CancellationToken ct) =>
        row.PersonIdHash is { } hash ? await OfPersonAsync(hash, ct) : [row];

    public Task<IReadOnlyList<EntitlementRow>> OfPersonAsync(string idHash, CancellationToken ct) =>
        db.QueryAsync<EntitlementRow>(Sql.OfPerson, new { IdHash = idHash }, ct);

    /// <summary>The home-delivery grounds the claims of the person's open entitlements show this month (<see cref="PaymentMethodRules.GroundsProven"/>).</summary>
    public async Task<IReadOnlyList<string>> GroundsAsync(IReadOnlyList<EntitlementRow> entitlements, CancellationToken ct)
    {
        var month = views.ThisMonth;
        var claims = new List<Domain.Eligibility.BenefitClaim>();
        foreach (var e in entitlements.Where(e => EntitlementRules.Open.Contains(e.State)))
        {
            var (domain, _) = await EntitlementStore.DomainAsync(db, personalData, e, ct);
            // An entitlement starting next month (after a move) shows its first basis.
            if ((domain.BasisOn(month) ?? domain.Bases.FirstOrDefault())?.Claim is { } claim) claims.Add(claim);
        }
        return PaymentMethodRules.GroundsProven(claims, month);
    }

    internal static class Sql
    {
        public const string OfPerson = EntitlementStore.Sql.Columns + "\nWHERE person_id_hash = @IdHash ORDER BY created_at, id";
    }
}
