using System.Globalization;
using Mediator;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Reports;

/// <summary>
/// One line of the payment report. Issued: the lines (and their amounts) of the <b>approved</b> lists of the period's
/// months; held duplicates are not lines. Paid, failed, unclaimed, wrong account: the payer's result on those lines;
/// unreported: no result yet. Cashless: issued lines whose method is cashless (bank account, e-wallet), shares of the
/// issued lines and amount. Arrears: months of an entitlement an approved list pays later than the month itself
/// (issued; <c>ArrearsPaidVnd</c> those on lines reported paid). Unpaid for more than N months: see
/// <see cref="GetPaymentReport"/>.
/// </summary>
public sealed record PaymentReportLineResponse(string Group, string? GroupName,
    int IssuedLines, long IssuedVnd, int PaidLines, long PaidVnd, int FailedLines, long FailedVnd, int UnclaimedLines, long UnclaimedVnd,
    int WrongAccountLines, long WrongAccountVnd, int UnreportedLines, long UnreportedVnd,
    int CashlessLines, long CashlessVnd, decimal? CashlessShareOfLines, decimal? CashlessShareOfAmount,
    int ArrearsMonths, long ArrearsVnd, long ArrearsPaidVnd,
    int UnpaidEntitlements, int UnpaidMonths, long UnpaidVnd);

/// <param name="UnpaidAsOf">The reference month of the unpaid figures of the total and of ward, zone and province lines (`to`); a month line's own month for that line.</param>
public sealed record PaymentReportResponse(string From, string To, string GroupBy, int UnpaidMonthsOver, string UnpaidAsOf,
    IReadOnlyList<PaymentReportLineResponse> Lines, PaymentReportLineResponse Total);

/// <summary>
/// Issued vs paid per ward, zone, month or province. <b>Unpaid for more than N months</b> (<c>unpaidMonths</c>, default 2), at a
/// reference month R: a month M of an entitlement counts when it is on a line of an approved list of a month up to R, no line
/// of an approved list of a month up to R covering it has been reported paid (its lines are unreported, or failed,
/// unclaimed or wrong account and so released), and R − M > N months (N = 2, R = 2026-05: months up to 2026-02). A
/// result reported later for a list up to R counts as paid. Months never on an approved list (a draft not yet approved, a
/// hold) are not in the ledger and not counted. The entitlement is counted in the ward of the latest list that carried
/// the month.
/// </summary>
/// <param name="UnpaidMonths">N as sent (a whole number 0–24; default 2): text, so that a wrong value is a field error like the others.</param>
public sealed record GetPaymentReport(string? From, string? To, string? GroupBy, string? UnpaidMonths) : IQuery<PaymentReportResponse>, IValidatable
{
    public static readonly string[] Groupings = ["province", "ward", "zone", "month"];
    public const int DefaultUnpaidMonths = 2;
    public const int MaxUnpaidMonths = 24;

    /// <summary>N, once valid.</summary>
    public int? N => UnpaidMonths is null ? DefaultUnpaidMonths
        : int.TryParse(UnpaidMonths, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxUnpaidMonths ? n : null;

    public IEnumerable<FieldError> Validate()
    {
        var from = Months.Parse(From);
        var to = Months.Parse(To);
        if (from is null) yield return new("from", "Chọn tháng bắt đầu kỳ báo cáo (yyyy-MM).");
        if (to is null) yield return new("to", "Chọn tháng kết thúc kỳ báo cáo (yyyy-MM).");
        if (from > to) yield return new("from", "Tháng bắt đầu phải trước tháng kết thúc.");
        if (from is { } f && to is { } t && t > f.AddMonths(119)) yield return new("to", "Kỳ báo cáo tối đa 10 năm (120 tháng).");
        if (GroupBy is not null && !Groupings.Contains(GroupBy)) yield return new("groupBy", $"Nhóm theo một trong: {string.Join(", ", Groupings)}.");
        if (UnpaidMonths is not null && N is null)
            yield return new("unpaidMonths", string.Create(CultureInfo.InvariantCulture, $"Số tháng chưa chi từ 0 đến {MaxUnpaidMonths}."));
    }
}

public sealed class GetPaymentReportHandler(Db db) : IQueryHandler<GetPaymentReport, PaymentReportResponse>
{
    public async ValueTask<PaymentReportResponse> Handle(GetPaymentReport query, CancellationToken ct)
    {
        var groupBy = query.GroupBy ?? "province";
        var n = query.N!.Value;
        var (from, to) = (query.From!, query.To!);
        var toMonth = Months.Parse(to)!.Value;
        var wards = await ReportCells.WardsAsync(db, ct);
        var cells = await PaymentCells.CellsAsync(db, from, to, ct);
        var arrears = await db.QueryAsync<PaymentCells.ArrearsCell>(PaymentCells.Sql.Arrears, PaymentCells.Args(from, to), ct);
        var unpaid = Unpaid(await db.QueryAsync<PaymentCells.UnpaidCandidate>(PaymentCells.Sql.Unpaid,
            PaymentCells.Args(from, to, Months.Format(toMonth.AddMonths(-n - 1))), ct));

        string Key(string ward, string month) => groupBy switch
        {
            "ward" => ward,
            "zone" => wards.TryGetValue(ward, out var w) ? w.Zone : "-",
            "month" => month,
            _ => "25",
        };
        string? Name(string key) => groupBy switch
        {
            "ward" => wards.TryGetValue(key, out var w) ? w.Name : null,
            "zone" => Zones.Zone.Label(key),
            "month" => "Tháng " + key[5..] + "/" + key[..4],
            _ => "Tỉnh Phú Thọ",
        };
        // Unpaid months, as of R: the month line's own month, else `to`; only those up to R − N − 1.
        bool UnpaidAt(UnpaidMonth u, DateOnly r) =>
            string.CompareOrdinal(u.IssuedIn, Months.Format(r)) <= 0 && (u.PaidIn is null || string.CompareOrdinal(u.PaidIn, Months.Format(r)) > 0)
            && Months.Parse(u.Month)!.Value < r.AddMonths(-n);
        IEnumerable<UnpaidMonth> UnpaidOf(string key) => groupBy == "month"
            ? unpaid.Where(u => UnpaidAt(u, Months.Parse(key)!.Value))
            : unpaid.Where(u => Key(u.Ward, "") == key && UnpaidAt(u, toMonth));

        var keys = cells.Select(c => Key(c.Ward, c.Month)).Concat(arrears.Select(a => Key(a.Ward, a.Month)))
            .Concat(groupBy == "month"
                ? MonthsOf(Months.Parse(from)!.Value, toMonth).Where(m => unpaid.Any(u => UnpaidAt(u, Months.Parse(m)!.Value)))
                : unpaid.Where(u => UnpaidAt(u, toMonth)).Select(u => Key(u.Ward, "")))
            .Distinct().Order(StringComparer.Ordinal);
        var lines = keys.Select(k => Line(k, Name(k), cells.Where(c => Key(c.Ward, c.Month) == k), arrears.Where(a => Key(a.Ward, a.Month) == k), UnpaidOf(k)))
            .ToList();
        var total = Line("total", "Toàn tỉnh", cells, arrears, unpaid.Where(u => UnpaidAt(u, toMonth)));
        return new(from, to, groupBy, n, to, lines, total);
    }

    /// <summary>One unpaid month of an entitlement: the first approved list that carried it, the ward of the latest, when paid later.</summary>
    private sealed record UnpaidMonth(Guid EntitlementId, string Month, string Ward, string IssuedIn, string? PaidIn, long AmountVnd);

    private static List<UnpaidMonth> Unpaid(IEnumerable<PaymentCells.UnpaidCandidate> rows) => rows
        .GroupBy(r => (r.EntitlementId, r.Month))
        .Select(g =>
        {
            var latest = g.MaxBy(r => r.ListMonth, StringComparer.Ordinal)!;
            return new UnpaidMonth(g.Key.EntitlementId, g.Key.Month, latest.Ward, g.Select(r => r.ListMonth).Min(StringComparer.Ordinal)!,
                g.Select(r => r.PaidIn).FirstOrDefault(p => p is not null), latest.AmountVnd);
        }).ToList();

    private static IEnumerable<string> MonthsOf(DateOnly from, DateOnly to)
    {
        for (var m = from; m <= to; m = m.AddMonths(1)) yield return Months.Format(m);
    }

    private static PaymentReportLineResponse Line(string group, string? name, IEnumerable<PaymentCells.Cell> cells,
        IEnumerable<PaymentCells.ArrearsCell> arrears, IEnumerable<UnpaidMonth> unpaid)
    {
        var c = cells.ToList();
        (int Lines, long Vnd) Sum(Func<PaymentCells.Cell, bool> where) => (c.Where(where).Sum(x => x.Lines), c.Where(where).Sum(x => x.Amount));
        var issued = Sum(_ => true);
        var paid = Sum(x => x.Result == PayerResult.Paid.WireName());
        var failed = Sum(x => x.Result == PayerResult.Failed.WireName());
        var unclaimed = Sum(x => x.Result == PayerResult.Unclaimed.WireName());
        var wrong = Sum(x => x.Result == PayerResult.WrongAccount.WireName());
        var unreported = Sum(x => x.Result is null);
        var cashless = Sum(x => PaymentCells.IsCashless(x.Method));
        var a = arrears.ToList();
        var u = unpaid.ToList();
        return new(group, name, issued.Lines, issued.Vnd, paid.Lines, paid.Vnd, failed.Lines, failed.Vnd, unclaimed.Lines, unclaimed.Vnd,
            wrong.Lines, wrong.Vnd, unreported.Lines, unreported.Vnd, cashless.Lines, cashless.Vnd,
            ReportCells.Rate(cashless.Lines, issued.Lines), issued.Vnd == 0 ? null : Math.Round((decimal)cashless.Vnd / issued.Vnd, 4),
            a.Sum(x => x.Months), a.Sum(x => x.Amount), a.Where(x => x.Result == PayerResult.Paid.WireName()).Sum(x => x.Amount),
            u.Select(x => x.EntitlementId).Distinct().Count(), u.Count, u.Sum(x => x.AmountVnd));
    }
}
