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

/// <summary>A line of a monthly payment list that pays the person (issue 19): which months, how much, how, and what the payer reported.</summary>
/// <param name="ListMonth">The month of the list ("yyyy-MM"); arrears lines pay earlier months too (see `months`).</param>
/// <param name="ListStatus">`Draft` (may still change before the ward chair approves it) or `Approved` (sent to the payer).</param>
/// <param name="Kind">`regular`, `arrears` or `one-off`.</param>
/// <param name="MaskedAccount">Bank account or e-wallet: "••••" and the last 4 digits.</param>
/// <param name="Result">`paid`, `failed`, `unclaimed`, `wrong-account` once the payer reports; null until then.</param>
public sealed record MyPaymentResponse(Guid LineId, string ListMonth, string ListStatus, string Kind, IReadOnlyList<string> Months, long AmountVnd,
    string Method, string? MaskedAccount, string? Result, DateTimeOffset? ResultAt);

/// <param name="PaymentMethod">How the person is paid (numbers masked); null until recorded. Change it at PUT /api/v1/me/benefits/payment-method.</param>
/// <param name="Payments">The person's lines on the ward's monthly payment lists, latest list first.</param>
public sealed record MyBenefitsResponse(IReadOnlyList<MyBenefitResponse> Entitlements, IReadOnlyList<MyPayableResponse> Payables,
    PaymentMethodResponse? PaymentMethod, IReadOnlyList<MyPaymentResponse> Payments);

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
        var lines = await db.QueryAsync<PaymentLineRow>(Sql.PaymentLines, new { IdHash = idHash }, ct);
        var months = (await db.QueryAsync<(Guid LineId, string Month)>(Sql.PaymentMonths, new { IdHash = idHash }, ct)).ToLookup(m => m.LineId, m => m.Month);
        return new(items, payables.Select(p => new MyPayableResponse(p.BenefitCode, p.Month, p.AmountVnd, p.DecisionNumber, p.Status)).ToList(),
            PaymentMethodStore.ToResponse(payment),
            [.. lines.Select(l => new MyPaymentResponse(l.Id, l.ListMonth, l.ListStatus, l.Kind, [.. months[l.Id].Order(StringComparer.Ordinal)], l.AmountVnd,
                l.Method, l.AccountLast4 is { } last ? Domain.Entitlements.PaymentMethodRules.Masked(last) : null, l.Result, l.ResultAt))]);
    }

    private sealed record PayableRow
    {
        public string BenefitCode { get; init; } = "";
        public string Month { get; init; } = "";
        public long AmountVnd { get; init; }
        public string DecisionNumber { get; init; } = "";
        public string Status { get; init; } = "";
    }

    private sealed record PaymentLineRow
    {
        public Guid Id { get; init; }
        public string ListMonth { get; init; } = "";
        public string ListStatus { get; init; } = "";
        public string Kind { get; init; } = "";
        public long AmountVnd { get; init; }
        public string Method { get; init; } = "";
        public string? AccountLast4 { get; init; }
        public string? Result { get; init; }
        public DateTimeOffset? ResultAt { get; init; }
    }

    internal static class Sql
    {
        // The payment ledger (issue 19), read by SQL only: the person's entitlements' lines and their one-off payments' lines.
        public const string PaymentLines = """
            SELECT l.id AS id, p.month AS list_month, p.status AS list_status, l.kind, l.amount_vnd, l.method, l.account_last4, l.result, l.result_at
            FROM entitlement e JOIN payment_line l ON l.entitlement_id = e.id JOIN payment_list p ON p.id = l.list_id
            WHERE e.person_id_hash = @IdHash
            UNION ALL
            SELECT l.id AS id, p.month AS list_month, p.status AS list_status, l.kind, l.amount_vnd, l.method, l.account_last4, l.result, l.result_at
            FROM payable pa JOIN payment_line l ON l.payable_id = pa.id JOIN payment_list p ON p.id = l.list_id
            WHERE pa.payee_id_hash = @IdHash
            ORDER BY list_month DESC, id
            """;
        public const string PaymentMonths = """
            SELECT m.line_id, m.month FROM entitlement e JOIN payment_line l ON l.entitlement_id = e.id JOIN payment_line_month m ON m.line_id = l.id
            WHERE e.person_id_hash = @IdHash
            UNION ALL
            SELECT m.line_id, m.month FROM payable pa JOIN payment_line l ON l.payable_id = pa.id JOIN payment_line_month m ON m.line_id = l.id
            WHERE pa.payee_id_hash = @IdHash
            """;
        public const string Mine = EntitlementStore.Sql.Columns + "\nWHERE person_id_hash = @IdHash ORDER BY start_month, id";
        public const string Payables = """
            SELECT benefit_code, month, amount_vnd, decision_number, status FROM payable WHERE payee_id_hash = @IdHash ORDER BY month, id
            """;
    }
}
