using Mediator;
using OneStopWindow.Api.Features.Entitlements.PaymentMethods;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>One change of the person's own entitlement: what happened and from or until which month (no reasons, notes or staff names).</summary>
/// <param name="Owed">A suspension: whether the held months will be paid when it is resolved.</param>
public sealed record MyBenefitEventResponse(string Kind, string StatusAfter, string? Month, bool? Owed, string? DecisionNumber, DateTimeOffset OccurredAt);

/// <summary>A benefit the signed-in person receives (or received).</summary>
/// <param name="ThisMonth">The amount of the current month (null outside the entitlement's months); without the basis' group.</param>
public sealed record MyBenefitResponse(Guid Id, string BenefitCode, string? WardCode, string StartMonth, string? EndMonth, string Status,
    MonthAmountResponse? ThisMonth, IReadOnlyList<MyBenefitEventResponse> History);

/// <summary>A one-off payment decided for the person (funeral support, emergency housing), as its applicant.</summary>
public sealed record MyPayableResponse(string BenefitCode, string Month, long AmountVnd, string DecisionNumber, string Status);

/// <param name="PaymentMethod">How the person is paid (numbers masked); null until recorded. Change it at PUT /api/v1/me/benefits/payment-method.</param>
public sealed record MyBenefitsResponse(IReadOnlyList<MyBenefitResponse> Entitlements, IReadOnlyList<MyPayableResponse> Payables,
    PaymentMethodResponse? PaymentMethod);

public sealed record GetMyBenefits(Caller Caller) : IQuery<MyBenefitsResponse>;

/// <summary>
/// The signed-in citizen's own entitlements (matched on the keyed hash of their identity number: the beneficiary's, not
/// the applicant's) and the one-off payments decided on their applications. Nobody else's; no staff-only field.
/// </summary>
public sealed class GetMyBenefitsHandler(Db db, EntitlementViews views) : IQueryHandler<GetMyBenefits, MyBenefitsResponse>
{
    public async ValueTask<MyBenefitsResponse> Handle(GetMyBenefits query, CancellationToken ct)
    {
        if (query.Caller.IdHash is not { } idHash) throw ProblemException.Forbidden("Cần đăng nhập bằng tài khoản định danh của người hưởng.");
        var rows = await db.QueryAsync<EntitlementRow>(Sql.Mine, new { IdHash = idHash }, ct);
        var month = views.ThisMonth;
        var items = new List<MyBenefitResponse>(rows.Count);
        foreach (var row in rows)
        {
            var (amount, _) = await views.AmountAsync(row, month, ct);
            var history = await EntitlementStore.HistoryAsync(db, row.Id, ct);
            items.Add(new(row.Id, row.BenefitCode, row.WardCode, row.StartMonth, row.EndMonth, row.Status,
                amount is null ? null : EntitlementViews.ToResponse(amount, staff: false),
                history.Select(h => new MyBenefitEventResponse(h.Kind, h.StatusAfter, h.Month, h.Owed, h.DecisionNumber,
                    h.OccurredAt)).ToList()));
        }
        var payables = await db.QueryAsync<PayableRow>(Sql.Payables, new { IdHash = idHash }, ct);
        var payment = await PaymentMethodStore.LoadAsync(db, new PaymentOwner(idHash, null), ct);
        return new(items, payables.Select(p => new MyPayableResponse(p.BenefitCode, p.Month, p.AmountVnd, p.DecisionNumber, p.Status)).ToList(),
            PaymentMethodStore.ToResponse(payment));
    }

    private sealed record PayableRow
    {
        public string BenefitCode { get; init; } = "";
        public string Month { get; init; } = "";
        public long AmountVnd { get; init; }
        public string DecisionNumber { get; init; } = "";
        public string Status { get; init; } = "";
    }

    internal static class Sql
    {
        public const string Mine = EntitlementStore.Sql.Columns + "\nWHERE person_id_hash = @IdHash ORDER BY start_month, id";
        public const string Payables = """
            SELECT benefit_code, month, amount_vnd, decision_number, status FROM payable WHERE payee_id_hash = @IdHash ORDER BY month, id
            """;
    }
}
