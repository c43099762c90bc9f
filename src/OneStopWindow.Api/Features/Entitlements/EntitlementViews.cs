using OneStopWindow.Api.Features.Entitlements.PaymentMethods;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>One month's amount.</summary>
/// <param name="AmountVnd">What the entitlement is worth that month (null: the rules pay nothing that month, see `notPayableRule`).</param>
/// <param name="Source">`Rules` (computed for the month from the rules in force) or `Imported` (the legacy amount, until a decision of the new ward).</param>
/// <param name="Basis">How the amount is made up (staff view only: it names the group).</param>
/// <param name="RulesAmountVnd">Imported records: what the rules would pay this month (null when they cannot tell, see `rulesRefusal`).</param>
/// <param name="DifferenceFromRulesVnd">Imported records: imported amount minus the rules' amount (positive: the legacy amount pays more).</param>
public sealed record MonthAmountResponse(string Month, decimal? AmountVnd, string Source, string? Basis, string? NotPayableRule, decimal? RulesAmountVnd,
    string? RulesRefusal, decimal? DifferenceFromRulesVnd);

/// <summary>A period of the entitlement's basis.</summary>
public sealed record EntitlementBasisResponse(string FromMonth, string Source, long? ImportedAmountVnd, string? DecisionNumber);

/// <summary>One change in the entitlement's history (staff view).</summary>
/// <param name="Month">The month the change applies from (start, adjust) or ends with (end, transfer).</param>
/// <param name="Reason">Staff-only: the closed-list reason (suspension, end).</param>
/// <param name="Owed">Suspension: whether the held months are owed (paid as arrears when resolved).</param>
public sealed record EntitlementEventResponse(string Kind, string StatusAfter, string? Month, string? Reason, bool? Owed, string? Note, string? DecisionNumber,
    string Actor, string ActorRole, DateTimeOffset OccurredAt);

/// <summary>An entitlement as staff read it.</summary>
/// <param name="EndMonth">Last month paid (inclusive); null while open.</param>
/// <param name="SuspensionReason">While suspended: the reason (staff-only).</param>
/// <param name="CurrentMonth">The amount of the current month (Vietnam time), or of the month asked for; null outside the entitlement's months.</param>
/// <param name="PaymentMethod">How the beneficiary is paid (numbers masked); null until recorded. Its history: GET …/payment-method.</param>
public sealed record EntitlementResponse(Guid Id, string FullName, string BenefitCode, string? WardCode, string StartMonth, string? EndMonth, string Status,
    string AmountSource, string? SuspensionReason, Guid? BeneficiaryId, Guid? DossierId, int Version, MonthAmountResponse? CurrentMonth,
    IReadOnlyList<EntitlementBasisResponse> Bases, IReadOnlyList<EntitlementEventResponse> History, PaymentMethodResponse? PaymentMethod);

/// <summary>Who sees an entitlement, and how each view is built (one place for the staff and the beneficiary's views).</summary>
public sealed class EntitlementViews(Db db, PersonalData personalData, TimeProvider clock, AccessRecorder accessLog)
{
    /// <summary>Provincial officers and administrators every entitlement; ward staff their own ward's.</summary>
    public static bool Sees(Caller c, EntitlementRow row) =>
        c.ServesWard(row.WardCode);

    public static ProblemException NotFound(Guid id) => ProblemException.NotFound($"khoản hưởng {id} (hoặc bạn không có quyền xem)");

    public DateOnly ThisMonth => Months.First(Appointment.DateInVietnam(clock.GetUtcNow()));

    /// <param name="month">The month whose amount is shown (first day); null: the current month.</param>
    public async Task<EntitlementResponse> StaffViewAsync(Caller caller, Guid id, CancellationToken ct, DateOnly? month = null)
    {
        var row = await EntitlementStore.LoadAsync(db, id, ct);
        if (row is null || !Sees(caller, row)) throw NotFound(id);
        accessLog.Record(caller, AccessKinds.Entitlement, "entitlement", [row.Id]);
        var (amount, bases) = await AmountAsync(row, month ?? ThisMonth, ct);
        var history = await EntitlementStore.HistoryAsync(db, id, ct);
        var payment = await PaymentMethodStore.LoadAsync(db, PaymentOwner.Of(row), ct);
        return new(row.Id, row.FullName, row.BenefitCode, row.WardCode, row.StartMonth, row.EndMonth, row.Status, row.AmountSource, row.SuspensionReason,
            row.BeneficiaryId, row.DossierId, row.Version, amount is null ? null : ToResponse(amount, staff: true),
            bases.Select(b => new EntitlementBasisResponse(b.FromMonth, b.Source, b.ImportedAmountVnd, b.DecisionNumber)).ToList(),
            history.Select(h => new EntitlementEventResponse(h.Kind, h.StatusAfter, h.Month, h.Reason, h.Owed, h.Note, h.DecisionNumber, h.Actor, h.ActorRole,
                h.OccurredAt)).ToList(), PaymentMethodStore.ToResponse(payment));
    }

    /// <summary>The amount of <paramref name="month"/> by <see cref="EntitlementAmount.AmountFor"/>, with the bases it was computed on.</summary>
    public async Task<(MonthAmount? Amount, IReadOnlyList<BasisRow> Bases)> AmountAsync(EntitlementRow row, DateOnly month, CancellationToken ct)
    {
        var (entitlement, bases) = await EntitlementStore.DomainAsync(db, personalData, row, ct);
        var rules = await EntitlementStore.RulesAsync(db, row.BenefitCode, ct);
        return (EntitlementAmount.AmountFor(entitlement, month, rules), bases);
    }

    public static MonthAmountResponse ToResponse(MonthAmount a, bool staff) => new(Months.Format(a.Month), a.Vnd, a.Source.ToString(),
        staff ? a.Basis : null, a.NotPayableRule, staff ? a.RulesVnd : null, staff ? a.RulesRefusal : null, staff ? a.DifferenceFromRulesVnd : null);
}
