using OneStopWindow.Api.Features.Payments;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Entitlements;
using OneStopWindow.Domain.Payments;

namespace OneStopWindow.Api.Features.Reports;

/// <summary>
/// What the payment reports read from the ledger (issue 19): approved lists only, grouped in SQL by (ward, list month,
/// method, result) — at most wards × months × a few dozen groups whatever the number of lines — and rolled up in C#.
/// Held duplicates (amount 0, not payable) are not lines here. Whether a method is cashless is
/// <see cref="PaymentMethodRules"/>'s, applied to the grouped method in C#, never restated in SQL.
/// </summary>
internal static class PaymentCells
{
    /// <summary>One (ward, list month, method, result) group of the issued lines; Result null = not yet reported.</summary>
    internal sealed record Cell
    {
        public string Ward { get; init; } = "";
        public string Month { get; init; } = "";
        public string Method { get; init; } = "";
        public string? Result { get; init; }
        public int Lines { get; init; }
        public long Amount { get; init; }
    }

    /// <summary>Months of entitlements an approved list pays later than the month itself, per (ward, list month, line result).</summary>
    internal sealed record ArrearsCell
    {
        public string Ward { get; init; } = "";
        public string Month { get; init; } = "";
        public string? Result { get; init; }
        public int Months { get; init; }
        public long Amount { get; init; }
    }

    /// <summary>
    /// One month of an entitlement on an approved line the payer has not reported paid (unreported, failed, unclaimed, wrong
    /// account): the list month it was on, and the month of the approved list whose line paid it later, if any.
    /// </summary>
    internal sealed record UnpaidCandidate
    {
        public string Ward { get; init; } = "";
        public string ListMonth { get; init; } = "";
        public Guid EntitlementId { get; init; }
        public string Month { get; init; } = "";
        public long AmountVnd { get; init; }
        public string? PaidIn { get; init; }
    }

    internal static bool IsCashless(string method) => PaymentMethodRules.Find(method)?.Cashless == true;

    internal static object Args(string from, string to, string? cutoff = null) => new
    {
        From = from,
        To = to,
        Cutoff = cutoff ?? "",
        Approved = PaymentListStatus.Approved,
        Held = LineKinds.HeldDuplicate,
        Paid = PayerResult.Paid.WireName(),
    };

    internal static Task<IReadOnlyList<Cell>> CellsAsync(Db db, string from, string to, CancellationToken ct) =>
        db.QueryAsync<Cell>(Sql.Issued, Args(from, to), ct);

    internal static class Sql
    {
        // The lists of the period by their (small) table, then each list's lines by ix_payment_line_list.
        public const string Issued = """
            SELECT l.ward_code AS ward, l.month, pl.method, pl.result, COUNT(*) AS lines, SUM(pl.amount_vnd) AS amount
            FROM payment_list l JOIN payment_line pl ON pl.list_id = l.id
            WHERE l.status = @Approved AND l.month >= @From AND l.month <= @To AND pl.kind <> @Held
            GROUP BY l.ward_code, l.month, pl.method, pl.result
            """;

        // Only lines that start before their list's month carry arrears: their months are read, the others' never.
        public const string Arrears = """
            SELECT l.ward_code AS ward, l.month, pl.result, COUNT(*) AS months, SUM(m.amount_vnd) AS amount
            FROM payment_list l JOIN payment_line pl ON pl.list_id = l.id JOIN payment_line_month m ON m.line_id = pl.id
            WHERE l.status = @Approved AND l.month >= @From AND l.month <= @To AND pl.period_from < l.month
              AND m.month < l.month AND m.entitlement_id IS NOT NULL
            GROUP BY l.ward_code, l.month, pl.result
            """;

        // Months up to the cut-off on approved lines not reported paid, with the month of the approved list that paid them
        // later (a paid month is never released, so it is on a live row: ux_payment_line_month_live finds it).
        public const string Unpaid = """
            SELECT l.ward_code AS ward, l.month AS list_month, m.entitlement_id, m.month, m.amount_vnd,
                   (SELECT MIN(l2.month) FROM payment_line_month m2 JOIN payment_line p2 ON p2.id = m2.line_id JOIN payment_list l2 ON l2.id = p2.list_id
                    WHERE m2.entitlement_id = m.entitlement_id AND m2.month = m.month AND m2.top_up = m.top_up AND m2.released = 0
                      AND p2.result = @Paid AND l2.status = @Approved) AS paid_in
            FROM payment_list l JOIN payment_line pl ON pl.list_id = l.id JOIN payment_line_month m ON m.line_id = pl.id
            WHERE l.status = @Approved AND l.month <= @To AND pl.period_from <= @Cutoff AND m.month <= @Cutoff
              AND m.entitlement_id IS NOT NULL AND (pl.result IS NULL OR pl.result <> @Paid)
            """;
    }
}
