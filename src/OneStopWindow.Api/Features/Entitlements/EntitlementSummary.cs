using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>One month's amount, as everyone but staff reads it: the amount only, not how it is made up.</summary>
/// <param name="AmountVnd">What the entitlement is worth that month (null: nothing is payable that month).</param>
public sealed record EntitlementSummaryMonthResponse(string Month, decimal? AmountVnd);

/// <summary>One change of the entitlement: what happened and from or until which month (no reason, note or staff member).</summary>
/// <param name="Owed">A suspension: whether the held months will be paid when it is resolved.</param>
public sealed record EntitlementSummaryEventResponse(string Kind, string StatusAfter, string? Month, bool? Owed, string? DecisionNumber,
    DateTimeOffset OccurredAt);

/// <summary>
/// An entitlement as the applicant, a holder of a dossier's tracking secret and an integration client read it: status, months,
/// this month's amount and history. Never the identity number, the group or coefficient behind the amount, reasons, notes,
/// staff names or how the person is paid.
/// </summary>
/// <param name="BeneficiaryName">Masked ("N. T. Lan") for a holder of the tracking secret.</param>
/// <param name="EndMonth">Last month paid (inclusive); null while open.</param>
/// <param name="ThisMonth">The current month's amount (Vietnam time); null outside the entitlement's months, and always null for a holder of
/// the tracking secret (with the standard level the amount would tell the coefficient, and so the group: DOMAIN §7).</param>
public sealed record EntitlementSummaryResponse(Guid Id, string BeneficiaryName, string BenefitCode, string? WardCode, string StartMonth, string? EndMonth,
    string Status, int Version, EntitlementSummaryMonthResponse? ThisMonth, IReadOnlyList<EntitlementSummaryEventResponse> History);

/// <summary>
/// The one place the non-staff view of an entitlement is built. It copies an explicit list of fields, so a field added to the
/// register (or to the staff view) never reaches it by default; the fields that differ by audience, the name and the amount, follow
/// the dossiers' table (<see cref="DossierField.BeneficiaryName"/>, <see cref="DossierField.BenefitAmount"/>).
/// </summary>
public sealed class EntitlementSummaries(Db db, EntitlementViews views)
{
    /// <summary>An integration client with <see cref="Scopes.ReadEntitlements"/> sees the entitlements of its benefits and wards, as it sees their events.</summary>
    public static bool ClientSees(ClientAccess client, EntitlementRow row) =>
        client.Has(Scopes.ReadEntitlements) && client.Sees(row.BenefitCode, row.WardCode, null);

    public async Task<EntitlementSummaryResponse> ViewAsync(EntitlementRow row, Audience audience, CancellationToken ct)
    {
        var (amount, _) = await views.AmountAsync(row, views.ThisMonth, ct);
        var history = await EntitlementStore.HistoryAsync(db, row.Id, ct);
        return new(row.Id, audience.Sees(DossierField.BeneficiaryName) ? row.FullName : PersonName.Mask(row.FullName), row.BenefitCode, row.WardCode,
            row.StartMonth, row.EndMonth, row.Status, row.Version,
            amount is null || !audience.Sees(DossierField.BenefitAmount) ? null : new(Months.Format(amount.Month), amount.Vnd),
            history.Select(h => new EntitlementSummaryEventResponse(h.Kind, h.StatusAfter, h.Month, h.Owed, h.DecisionNumber, h.OccurredAt)).ToList());
    }
}
