using System.Globalization;
using CsvHelper;
using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Reports;

/// <summary>
/// One line of a report. Received, supplements, withdrawals and objections count the dossiers <b>received</b> in the
/// period; resolved, on time, late, working days, rejections, beneficiaries, amounts and satisfaction count the dossiers
/// <b>decided</b> in the period. On time: decided on or before the appointment date, never overdue.
/// Satisfaction: ratings 2–3 ("satisfied", "very satisfied") of all ratings on the scale 1–3.
/// </summary>
public sealed record ReportLineResponse(string Group, string? GroupName, int Received, int Resolved, int OnTime, int Late, decimal? OnTimeRate,
    decimal? AverageWorkingDaysToDecide, int SupplementsRequested, int Rejections, int Withdrawals, int Objections, int Rated, decimal? Satisfaction,
    int Beneficiaries, long MonthlyAmountVnd, int ReceivedOnline);

public sealed record ReportResponse(DateOnly From, DateOnly To, string GroupBy, IReadOnlyList<ReportLineResponse> Lines, ReportLineResponse Total);

/// <summary>The provincial service indicators the national scoring uses, from the same data.</summary>
public sealed record IndicatorsResponse(DateOnly From, DateOnly To, decimal? OnTimeRate, decimal? OnlineShare, decimal? Satisfaction, int Received, int Resolved, int Rated);

/// <param name="ApplicationsPerThousand">Applications received per 1,000 inhabitants, over the wards whose population is known.</param>
public sealed record EquityLineResponse(string Zone, int Wards, int WardsWithPopulation, long? Population, int Received, decimal? ApplicationsPerThousand,
    int Resolved, decimal? OnTimeRate, decimal? AverageWorkingDaysToDecide, int Backlog);

public sealed record EquityResponse(DateOnly From, DateOnly To, IReadOnlyList<EquityLineResponse> Zones);

/// <summary>One month of one series: on-time rate and waiting days of the dossiers decided that month, backlog at its end.</summary>
public sealed record TrendPointResponse(string Series, string Month, int Received, int Resolved, decimal? OnTimeRate, decimal? AverageWorkingDaysToDecide, int Backlog);

public sealed record TrendResponse(DateOnly From, DateOnly To, string GroupBy, IReadOnlyList<TrendPointResponse> Points);

public sealed record ReportPeriod(DateOnly? From, DateOnly? To) : IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (From is null) yield return new("from", "Chọn ngày bắt đầu kỳ báo cáo (yyyy-MM-dd).");
        if (To is null) yield return new("to", "Chọn ngày kết thúc kỳ báo cáo (yyyy-MM-dd).");
        if (From > To) yield return new("from", "Ngày bắt đầu phải trước ngày kết thúc.");
        if (From is { } f && To is { } t && t.DayNumber - f.DayNumber > 3700) yield return new("to", "Kỳ báo cáo tối đa 10 năm.");
    }
}

public sealed record GetReport(ReportPeriod Period, string? GroupBy) : IQuery<ReportResponse>, IValidatable
{
    public static readonly string[] Groupings = ["province", "ward", "zone", "procedure", "channel"];

    public IEnumerable<FieldError> Validate() => Period.Validate().Concat(
        GroupBy is null || Groupings.Contains(GroupBy) ? [] : [new FieldError("groupBy", $"Nhóm theo một trong: {string.Join(", ", Groupings)}.")]);
}

public sealed record GetIndicators(ReportPeriod Period) : IQuery<IndicatorsResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => Period.Validate();
}

public sealed record GetEquity(ReportPeriod Period) : IQuery<EquityResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => Period.Validate();
}

public sealed record GetTrend(ReportPeriod Period, string? GroupBy) : IQuery<TrendResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => Period.Validate().Concat(
        GroupBy is null or "province" or "zone" or "ward" ? [] : [new FieldError("groupBy", "Nhóm theo 'province', 'zone' hoặc 'ward'.")]);
}

/// <summary>
/// Every report reads <c>dossier_report</c> only, grouped in SQL by (ward, procedure, channel) — at most a few thousand
/// groups whatever the number of dossiers — and rolled up here to the grouping asked for. Zones are today's classification.
/// </summary>
public sealed class ReportHandlers(Db db)
    : IQueryHandler<GetReport, ReportResponse>, IQueryHandler<GetIndicators, IndicatorsResponse>, IQueryHandler<GetEquity, EquityResponse>,
      IQueryHandler<GetTrend, TrendResponse>
{
    public async ValueTask<ReportResponse> Handle(GetReport query, CancellationToken ct)
    {
        var groupBy = query.GroupBy ?? "province";
        var (cells, wards) = await CellsAsync(query.Period, ct);
        string Key(Cell c) => groupBy switch
        {
            "ward" => c.Ward ?? "-",
            "zone" => c.Ward is not null && wards.TryGetValue(c.Ward, out var w) ? w.Zone : "-",
            "procedure" => c.ProcedureCode,
            "channel" => c.Channel,
            _ => "25",
        };
        string? Name(string key) => groupBy switch
        {
            "ward" => wards.TryGetValue(key, out var w) ? w.Name : key == "-" ? "Chưa xác định xã/phường (chờ xác minh lại)" : null,
            "zone" => Zones.Zone.Label(key),
            "province" => "Tỉnh Phú Thọ",
            _ => null,
        };
        var lines = cells.GroupBy(Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Line(g.Key, Name(g.Key), g)).ToList();
        return new(query.Period.From!.Value, query.Period.To!.Value, groupBy, lines, Line("total", "Toàn tỉnh", cells));
    }

    public async ValueTask<IndicatorsResponse> Handle(GetIndicators query, CancellationToken ct)
    {
        var (cells, _) = await CellsAsync(query.Period, ct);
        var t = Line("total", null, cells);
        return new(query.Period.From!.Value, query.Period.To!.Value, t.OnTimeRate, Rate(t.ReceivedOnline, t.Received), t.Satisfaction, t.Received, t.Resolved, t.Rated);
    }

    public async ValueTask<EquityResponse> Handle(GetEquity query, CancellationToken ct)
    {
        var (cells, wards) = await CellsAsync(query.Period, ct);
        var backlog = await BacklogAsync(query.Period.To!.Value, ct);
        var byWard = cells.GroupBy(c => c.Ward ?? "-").ToDictionary(g => g.Key, g => g.ToList());
        var lines = wards.Values.GroupBy(w => w.Zone).OrderBy(g => Array.IndexOf(Zones.Zone.Values, g.Key)).Select(zone =>
        {
            var zoneCells = zone.SelectMany(w => byWard.GetValueOrDefault(w.Code) ?? []).ToList();
            var known = zone.Where(w => w.Population is > 0).ToList();
            var receivedWhereKnown = known.Sum(w => (byWard.GetValueOrDefault(w.Code) ?? []).Sum(c => c.Received));
            long? population = known.Count == 0 ? null : known.Sum(w => w.Population!.Value);
            var line = Line(zone.Key, null, zoneCells);
            return new EquityLineResponse(zone.Key, zone.Count(), known.Count, population, line.Received,
                population is > 0 ? Math.Round(receivedWhereKnown * 1000m / population.Value, 3) : null,
                line.Resolved, line.OnTimeRate, line.AverageWorkingDaysToDecide, zone.Sum(w => backlog.GetValueOrDefault(w.Code)));
        }).ToList();
        return new(query.Period.From!.Value, query.Period.To!.Value, lines);
    }

    public async ValueTask<TrendResponse> Handle(GetTrend query, CancellationToken ct)
    {
        var groupBy = query.GroupBy ?? "province";
        var wards = await WardsAsync(ct);
        string Series(string? ward) => groupBy switch
        {
            "ward" => ward ?? "-",
            "zone" => ward is not null && wards.TryGetValue(ward, out var w) ? w.Zone : "-",
            _ => "25",
        };
        var from = query.Period.From!.Value;
        var to = query.Period.To!.Value;
        // Received and closed up to the period's end (for the backlog), decided within the period: whole months from month rows,
        // the partial months from day rows — bounded by months × wards, whatever the number of dossiers.
        var upTo = await db.QueryAsync<PeriodCell>(Sql.Flow, UpTo(to), ct);
        var inPeriod = await db.QueryAsync<PeriodCell>(Sql.Flow, Range(from, to), ct);
        var received = ByMonth(upTo, c => c.Received, c => 0, c => 0);
        var closed = ByMonth(upTo, c => c.Closed, c => 0, c => 0);
        var decided = ByMonth(inPeriod, c => c.Resolved, c => c.OnTime, c => c.WorkingDays);
        var months = new List<string>();
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= to; m = m.AddMonths(1)) months.Add(m.ToString("yyyy-MM", CultureInfo.InvariantCulture));

        var points = new List<TrendPointResponse>();
        foreach (var series in received.Select(c => Series(c.Ward)).Concat(decided.Select(c => Series(c.Ward))).Distinct().Order(StringComparer.Ordinal))
        {
            var r = received.Where(c => Series(c.Ward) == series).ToList();
            var cl = closed.Where(c => Series(c.Ward) == series).ToList();
            var d = decided.Where(c => Series(c.Ward) == series).ToList();
            foreach (var month in months)
            {
                // Backlog at the month's end: received up to then, minus decided or withdrawn up to then.
                var backlog = r.Where(c => string.CompareOrdinal(c.Month, month) <= 0).Sum(c => c.Count)
                              - cl.Where(c => string.CompareOrdinal(c.Month, month) <= 0).Sum(c => c.Count);
                var inMonth = d.Where(c => c.Month == month).ToList();
                var resolved = inMonth.Sum(c => c.Count);
                points.Add(new(series, month, r.Where(c => c.Month == month).Sum(c => c.Count), resolved, Rate(inMonth.Sum(c => c.OnTime), resolved),
                    resolved == 0 ? null : Math.Round((decimal)inMonth.Sum(c => c.WorkingDays) / resolved, 2), backlog));
            }
        }
        return new(from, to, groupBy, points);
    }

    private async Task<(List<Cell> Cells, Dictionary<string, WardInfo> Wards)> CellsAsync(ReportPeriod period, CancellationToken ct)
    {
        var cells = await db.QueryAsync<Cell>(Sql.Cells, Range(period.From!.Value, period.To!.Value), ct);
        return (cells.Select(c => c.Ward == "-" ? c with { Ward = null } : c).ToList(), await WardsAsync(ct));
    }

    /// <summary>
    /// The summary rows that cover [from, to] exactly: month rows for the whole months inside it, day rows for the partial
    /// months at either end (an empty range is "from after to").
    /// </summary>
    private static object Range(DateOnly from, DateOnly to)
    {
        var wholeFrom = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        var wholeToEnd = to.AddDays(1).Day == 1 ? to : new DateOnly(to.Year, to.Month, 1).AddDays(-1);
        if (wholeFrom > wholeToEnd)
            return new { MonthFrom = DateOnly.MaxValue, MonthTo = DateOnly.MinValue, DayFrom1 = from, DayTo1 = to, DayFrom2 = DateOnly.MaxValue, DayTo2 = DateOnly.MinValue };
        return new
        {
            MonthFrom = wholeFrom,
            MonthTo = new DateOnly(wholeToEnd.Year, wholeToEnd.Month, 1),
            DayFrom1 = from,
            DayTo1 = wholeFrom.AddDays(-1),
            DayFrom2 = wholeToEnd.AddDays(1),
            DayTo2 = to,
        };
    }

    /// <summary>Everything up to and including <paramref name="to"/>: month rows before its month, day rows of its month.</summary>
    private static object UpTo(DateOnly to)
    {
        var monthStart = new DateOnly(to.Year, to.Month, 1);
        return new { MonthFrom = DateOnly.MinValue, MonthTo = monthStart.AddMonths(-1), DayFrom1 = monthStart, DayTo1 = to, DayFrom2 = DateOnly.MaxValue, DayTo2 = DateOnly.MinValue };
    }

    private async Task<Dictionary<string, WardInfo>> WardsAsync(CancellationToken ct) =>
        (await db.QueryAsync<WardInfo>(Sql.Wards, null, ct)).ToDictionary(w => w.Code);

    private async Task<Dictionary<string, int>> BacklogAsync(DateOnly at, CancellationToken ct) =>
        (await db.QueryAsync<PeriodCell>(Sql.Flow, UpTo(at), ct)).GroupBy(c => c.Ward)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Received) - g.Sum(c => c.Closed));

    private static ReportLineResponse Line(string group, string? name, IEnumerable<Cell> cells)
    {
        int received = 0, resolved = 0, onTime = 0, workingDays = 0, supplements = 0, rejections = 0, withdrawals = 0, objections = 0, rated = 0,
            satisfied = 0, beneficiaries = 0, online = 0;
        long amount = 0;
        foreach (var c in cells)
        {
            received += c.Received; resolved += c.Resolved; onTime += c.OnTime; workingDays += c.WorkingDays; supplements += c.Supplements;
            rejections += c.Rejections; withdrawals += c.Withdrawals; objections += c.Objections; rated += c.Rated; satisfied += c.Satisfied;
            beneficiaries += c.Beneficiaries; amount += c.Amount; online += c.Channel == "online" ? c.Received : 0;
        }
        return new(group, name, received, resolved, onTime, resolved - onTime, Rate(onTime, resolved),
            resolved == 0 ? null : Math.Round((decimal)workingDays / resolved, 2), supplements, rejections, withdrawals, objections, rated,
            Rate(satisfied, rated), beneficiaries, amount, online);
    }

    private static decimal? Rate(int part, int whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4);

    /// <summary>One (ward, procedure, channel) group of one cohort; the other cohort's measures are zero.</summary>
    public sealed record Cell
    {
        public string? Ward { get; init; }
        public string ProcedureCode { get; init; } = "";
        public string Channel { get; init; } = "";
        public int Received { get; init; }
        public int Supplements { get; init; }
        public int Withdrawals { get; init; }
        public int Objections { get; init; }
        public int Resolved { get; init; }
        public int OnTime { get; init; }
        public int WorkingDays { get; init; }
        public int Rejections { get; init; }
        public int Beneficiaries { get; init; }
        public long Amount { get; init; }
        public int Rated { get; init; }
        public int Satisfied { get; init; }
    }

    private sealed record WardInfo
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Zone { get; init; } = "";
        public long? Population { get; init; }
    }

    /// <summary>One summary row's flow measures (ward "-" = not yet assigned).</summary>
    private sealed record PeriodCell
    {
        public string Ward { get; init; } = "-";
        public DateOnly Period { get; init; }
        public int Received { get; init; }
        public int Closed { get; init; }
        public int Resolved { get; init; }
        public int OnTime { get; init; }
        public int WorkingDays { get; init; }
    }

    private sealed record MonthCell(string? Ward, string Month, int Count, int OnTime, int WorkingDays);

    private static List<MonthCell> ByMonth(IEnumerable<PeriodCell> cells, Func<PeriodCell, int> count, Func<PeriodCell, int> onTime, Func<PeriodCell, int> days) => cells
        .GroupBy(c => (Ward: c.Ward == "-" ? null : c.Ward, Month: c.Period.ToString("yyyy-MM", CultureInfo.InvariantCulture)))
        .Select(g => new MonthCell(g.Key.Ward, g.Key.Month, g.Sum(count), g.Sum(onTime), g.Sum(days)))
        .Where(m => m.Count != 0 || m.OnTime != 0 || m.WorkingDays != 0)
        .ToList();

    /// <summary>
    /// Cells and Flow read the summary rows that cover a period exactly (see <see cref="Range"/> and <see cref="UpTo"/>): three
    /// key-range scans joined by UNION ALL — written as one OR, SQLite scanned the whole table (1.6 M rows at 1 M dossiers).
    /// </summary>
    internal static class Sql
    {
        public const string Cells = """
            SELECT ward_code AS ward, procedure_code, channel, SUM(received) AS received, SUM(supplements) AS supplements,
                   SUM(withdrawals) AS withdrawals, SUM(objections) AS objections, SUM(resolved) AS resolved, SUM(on_time) AS on_time,
                   SUM(working_days) AS working_days, SUM(rejections) AS rejections, SUM(beneficiaries) AS beneficiaries, SUM(amount) AS amount,
                   SUM(rated) AS rated, SUM(satisfied) AS satisfied
            FROM (SELECT * FROM report_summary WHERE grain = 'M' AND period >= @MonthFrom AND period <= @MonthTo
                  UNION ALL SELECT * FROM report_summary WHERE grain = 'D' AND period >= @DayFrom1 AND period <= @DayTo1
                  UNION ALL SELECT * FROM report_summary WHERE grain = 'D' AND period >= @DayFrom2 AND period <= @DayTo2) s
            GROUP BY ward_code, procedure_code, channel
            """;
        public const string Flow = """
            SELECT ward_code AS ward, period, SUM(received) AS received, SUM(closed) AS closed, SUM(resolved) AS resolved,
                   SUM(on_time) AS on_time, SUM(working_days) AS working_days
            FROM (SELECT * FROM report_summary WHERE grain = 'M' AND period >= @MonthFrom AND period <= @MonthTo
                  UNION ALL SELECT * FROM report_summary WHERE grain = 'D' AND period >= @DayFrom1 AND period <= @DayTo1
                  UNION ALL SELECT * FROM report_summary WHERE grain = 'D' AND period >= @DayFrom2 AND period <= @DayTo2) s
            GROUP BY ward_code, period
            """;
        public const string Wards = """
            SELECT u.code, u.full_name AS name, z.zone, z.population
            FROM admin_unit u JOIN ward_zone z ON z.ward_code = u.code AND z.valid_to IS NULL
            WHERE u.era = 'current' AND u.province_code = '25' AND u.unit_type IN ('ward', 'commune')
            """;
    }
}

/// <summary>Every report as CSV (RFC 4180, UTF-8 with BOM so spreadsheet software reads the Vietnamese correctly).</summary>
public static class ReportCsv
{
    public static IResult From<T>(IEnumerable<T> rows, string fileName) => Results.Stream(async stream =>
    {
        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
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
            .WithSummary("Received, resolved, on time, late, working days, supplements, rejections, withdrawals, objections, satisfaction, beneficiaries, amounts")
            .WithDescription($"{Who} For any period (`from`, `to`, Vietnam dates), grouped by `province` (default), `ward`, `zone`, `procedure` or `channel`; `format=csv` for a spreadsheet. The report table follows the dossiers within about a second.")
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
            .WithSummary("Demand and outcomes per zone: applications per thousand inhabitants, on-time share, waiting days, backlog")
            .WithDescription($"{Who} Population only where known (indicative figures; see README). Backlog at the period's end.")
            .Produces<EquityResponse>();

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
