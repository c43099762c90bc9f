using Mediator;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>One month a line pays.</summary>
/// <param name="TopUp">True: the month was already paid on an earlier list at a lower amount (an adjustment signed after that list was
/// approved); this is the difference.</param>
public sealed record PaymentLineMonthResponse(string Month, long AmountVnd, bool TopUp);

/// <summary>
/// One line of a payment list, as staff read it: who, how, how much, which months — never the group, coefficient or reason
/// behind the amount, nor a full account number.
/// </summary>
/// <param name="Kind">`regular` (pays the list's month, with any arrears), `arrears` (only earlier months), `one-off` (a single payable),
/// `held-duplicate` (a legacy record held as a possible duplicate: amount 0, not payable, shown for a decision).</param>
/// <param name="Method">The person's payment method (`bank-account`, `e-wallet`, `post-office-cash`, `home-delivery`), or `unknown`: none
/// recorded (the list cannot be approved while a payable line has it).</param>
/// <param name="MaskedAccount">Bank account or e-wallet: "••••" and the last 4 digits; otherwise null.</param>
/// <param name="Result">The payer's result once reported: `paid`, `failed`, `unclaimed`, `wrong-account`; null until then.</param>
public sealed record PaymentLineResponse(Guid Id, string Kind, Guid? EntitlementId, Guid? PayableId, Guid? BeneficiaryId, string FullName, string Method,
    string? MaskedAccount, long AmountVnd, string PeriodFrom, string PeriodTo, IReadOnlyList<PaymentLineMonthResponse> Months, string? Result,
    DateTimeOffset? ResultAt);

/// <param name="NextAfter">Pass back as `after` for the next page of lines; null on the last page.</param>
public sealed record PaymentListDetailResponse(PaymentListResponse List, IReadOnlyList<PaymentLineResponse> Lines, string? NextAfter);

public sealed record GetPaymentList(Guid Id, Caller Caller, int? Limit, string? After) : IQuery<PaymentListDetailResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Limit is < 1 or > 500) yield return new("limit", "Số dòng mỗi trang từ 1 đến 500.");
        if (After is not null && !Guid.TryParse(After, out _)) yield return new("after", "Con trỏ trang không hợp lệ.");
    }
}

/// <summary>Ward staff of the list's ward and provincial officers (anyone else: 404). Lines in keyset pages by id; every page access-logged.</summary>
public sealed class GetPaymentListHandler(Db db, AccessRecorder accessLog) : IQueryHandler<GetPaymentList, PaymentListDetailResponse>
{
    public async ValueTask<PaymentListDetailResponse> Handle(GetPaymentList query, CancellationToken ct)
    {
        var list = await db.SingleOrDefaultAsync<PaymentListRow>(PaymentLists.Sql.One, new { query.Id }, ct);
        if (list is null || !PaymentLists.Sees(query.Caller, list.WardCode)) throw PaymentLists.NotFound(query.Id);
        var limit = query.Limit ?? 100;
        var rows = await db.QueryAsync<LineRow>(db.Dialect.Limit(Sql.Lines), new
        {
            query.Id,
            After = query.After is null ? (Guid?)null : Guid.Parse(query.After),
            Limit = limit + 1,
        }, ct);
        var page = rows.Take(limit).ToList();
        var months = (page.Count == 0 ? [] : await db.QueryAsync<MonthRow>(Sql.Months, new { query.Id, From = page[0].Id, To = page[^1].Id }, ct))
            .ToLookup(m => m.LineId);
        accessLog.Record(query.Caller, AccessKinds.PaymentList, "payment-list", [list.Id]);
        var paid = page.Where(l => l.EntitlementId is not null).Select(l => l.EntitlementId!.Value).ToList();
        if (paid.Count > 0) accessLog.Record(query.Caller, AccessKinds.PaymentList, "entitlement", paid);
        return new(list.ToResponse(), [.. page.Select(l => new PaymentLineResponse(l.Id, l.Kind, l.EntitlementId, l.PayableId, l.BeneficiaryId, l.FullName,
            l.Method, l.AccountLast4 is { } last ? PaymentMethodRules.Masked(last) : null, l.AmountVnd, l.PeriodFrom, l.PeriodTo,
            [.. months[l.Id].Select(m => new PaymentLineMonthResponse(m.Month, m.AmountVnd, m.TopUp))], l.Result, l.ResultAt))],
            rows.Count > limit ? page[^1].Id.ToString() : null);
    }

    private sealed record LineRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public Guid? EntitlementId { get; init; }
        public Guid? PayableId { get; init; }
        public Guid? BeneficiaryId { get; init; }
        public string FullName { get; init; } = "";
        public string Method { get; init; } = "";
        public string? AccountLast4 { get; init; }
        public long AmountVnd { get; init; }
        public string PeriodFrom { get; init; } = "";
        public string PeriodTo { get; init; } = "";
        public string? Result { get; init; }
        public DateTimeOffset? ResultAt { get; init; }
    }

    private sealed record MonthRow
    {
        public Guid LineId { get; init; }
        public string Month { get; init; } = "";
        public long AmountVnd { get; init; }
        public bool TopUp { get; init; }
    }

    internal static class Sql
    {
        public const string Lines = """
            SELECT id, kind, entitlement_id, payable_id, beneficiary_id, full_name, method, account_last4, amount_vnd, period_from, period_to, result, result_at
            FROM payment_line WHERE list_id = @Id AND (@After IS NULL OR id > @After)
            ORDER BY id
            """;
        public const string Months = """
            SELECT m.line_id, m.month, m.amount_vnd, m.top_up FROM payment_line_month m JOIN payment_line l ON l.id = m.line_id
            WHERE l.list_id = @Id AND m.line_id >= @From AND m.line_id <= @To
            ORDER BY m.line_id, m.month
            """;
    }
}
