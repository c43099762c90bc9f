using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Text;

namespace OneStopWindow.Api.Features.Reports;

/// <summary>Every report as CSV (RFC 4180, UTF-8 with BOM so spreadsheet software reads the Vietnamese correctly; text cells escaped against formulas).</summary>
public static class ReportCsv
{
    public static IResult From<T>(IEnumerable<T> rows, string fileName) => Results.Stream(async stream =>
    {
        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await using var csv = CsvCell.Writer(writer);
        await csv.WriteRecordsAsync(rows);
    }, "text/csv; charset=utf-8", fileName);
}

public static class ReportEndpoints
{
    private const string Who = "Provincial officers and administrators (the leaders' page /reports reads these).";

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Policies.Provincial)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/summary", async (DateOnly? from, DateOnly? to, string? groupBy, string? format, IMediator m, CancellationToken ct) =>
            {
                var report = await m.Send(new GetReport(new ReportPeriod(from, to), groupBy), ct);
                return format == "csv" ? ReportCsv.From(report.Lines.Append(report.Total), $"bao-cao-{report.GroupBy}-{from:yyyyMMdd}-{to:yyyyMMdd}.csv") : Results.Ok(report);
            })
            .WithName("GetReport")
            .WithSummary("Received, resolved, on time, late, working days, supplements, rejections, withdrawals, refusals at reception, objections, satisfaction, beneficiaries, amounts")
            .WithDescription($"{Who} For any period (`from`, `to`, Vietnam dates), grouped by `province` (default), `ward`, `zone`, `procedure` or `channel`; " +
                $"`format=csv` for a spreadsheet. The report table follows the dossiers within about a second.")
            .Produces<ReportResponse>();

        group.MapGet("/indicators", async (DateOnly? from, DateOnly? to, string? format, IMediator m, CancellationToken ct) =>
            {
                var indicators = await m.Send(new GetIndicators(new ReportPeriod(from, to)), ct);
                return format == "csv" ? ReportCsv.From([indicators], $"chi-so-{from:yyyyMMdd}-{to:yyyyMMdd}.csv") : Results.Ok(indicators);
            })
            .WithName("GetServiceIndicators")
            .WithSummary("The service indicators of the national scoring: on-time rate, share filed online, satisfaction")
            .WithDescription($"{Who} Computed from the same data as the summary.")
            .Produces<IndicatorsResponse>();

        group.MapGet("/equity", async (DateOnly? from, DateOnly? to, string? format, IMediator m, CancellationToken ct) =>
            {
                var equity = await m.Send(new GetEquity(new ReportPeriod(from, to)), ct);
                return format == "csv" ? ReportCsv.From(equity.Zones, $"cong-bang-{from:yyyyMMdd}-{to:yyyyMMdd}.csv") : Results.Ok(equity);
            })
            .WithName("GetEquityReport")
            .WithSummary("Demand and outcomes per zone: applications per thousand inhabitants, on-time share, waiting days, backlog, benefits paid per thousand inhabitants")
            .WithDescription($"{Who} Population only where known (indicative figures; see README). Backlog at the period's end. Benefits paid: " +
                "lines (and VND) of the approved payment lists of every month the period touches that the payer reported paid; per 1,000 " +
                "inhabitants over the wards whose population is known.")
            .Produces<EquityResponse>();

        group.MapGet("/payments", async (string? from, string? to, string? groupBy, string? unpaidMonths, string? format, IMediator m, CancellationToken ct) =>
            {
                var report = await m.Send(new GetPaymentReport(from, to, groupBy, unpaidMonths), ct);
                return format == "csv" ? ReportCsv.From(report.Lines.Append(report.Total), $"chi-tra-{report.GroupBy}-{from}-{to}.csv") : Results.Ok(report);
            })
            .WithName("GetPaymentReport")
            .WithSummary("Payment lists: issued vs paid per ward, zone, month or province; the cashless share; arrears; months unpaid for more than N months")
            .WithDescription($"{Who} For the list months `from` … `to` (\"yyyy-MM\", at most 120 months), grouped by `province` (default), `ward`, " +
                "`zone` or `month`; `format=csv` for a spreadsheet. Issued: lines and amounts of the **approved** lists of those months (held " +
                "duplicates are not lines); paid, failed, unclaimed, wrong account: the payer's results; unreported: no result yet. Cashless: issued " +
                "lines paid by bank account or e-wallet (the payment-method rule), as shares of lines and of amount. Arrears: months of an " +
                "entitlement an approved list pays later than the month itself (`arrearsVnd` issued, `arrearsPaidVnd` on lines reported paid). " +
                "Unpaid for more than N months (`unpaidMonths`, 0–24, default 2), at a reference month R (`to`; a month line's own month): a " +
                "month M of an entitlement on an approved list of a month up to R, not reported paid on any approved list of a month up to R " +
                "(unreported, or failed/unclaimed/wrong account and not paid again since), with R − M > N (N = 2, R = 2026-05: months up to " +
                "2026-02); counted as entitlements, months and amount, in the ward of the latest list that carried the month. Bad parameters: 400 " +
                "with field errors.")
            .Produces<PaymentReportResponse>();

        group.MapGet("/trend", async (DateOnly? from, DateOnly? to, string? groupBy, string? format, IMediator m, CancellationToken ct) =>
            {
                var trend = await m.Send(new GetTrend(new ReportPeriod(from, to), groupBy), ct);
                return format == "csv" ? ReportCsv.From(trend.Points, $"xu-huong-{from:yyyyMMdd}-{to:yyyyMMdd}.csv") : Results.Ok(trend);
            })
            .WithName("GetTrendReport")
            .WithSummary("Month by month: on-time rate, waiting days and backlog, per province, zone or ward")
            .WithDescription($"{Who}")
            .Produces<TrendResponse>();
        return app;
    }
}
