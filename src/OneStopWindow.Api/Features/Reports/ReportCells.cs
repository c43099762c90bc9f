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
    int Beneficiaries, long MonthlyAmountVnd, int ReceivedOnline)
{
    /// <summary>Dossiers received in the period and refused at reception (Form 03, national status 3): closed, never resolved.</summary>
    public int RefusedAtReception { get; init; }
}

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

/// <summary>
/// Every report reads <c>dossier_report</c> only, grouped in SQL by (ward, procedure, channel) — at most a few thousand
/// groups whatever the number of dossiers — and rolled up here to the grouping asked for. Zones are today's classification.
/// </summary>
internal static class ReportCells
{
    internal static async Task<(List<Cell> Cells, Dictionary<string, WardInfo> Wards)> CellsAsync(Db db, ReportPeriod period, CancellationToken ct)
    {
        var cells = await db.QueryAsync<Cell>(Sql.Cells, Range(period.From!.Value, period.To!.Value), ct);
        return (cells.Select(c => c.Ward == "-" ? c with { Ward = null } : c).ToList(), await WardsAsync(db, ct));
    }

    /// <summary>
    /// The summary rows that cover [from, to] exactly: month rows for the whole months inside it, day rows for the partial
    /// months at either end (an empty range is "from after to").
    /// </summary>
    internal static object Range(DateOnly from, DateOnly to)
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
    internal static object UpTo(DateOnly to)
    {
        var monthStart = new DateOnly(to.Year, to.Month, 1);
        return new { MonthFrom = DateOnly.MinValue, MonthTo = monthStart.AddMonths(-1), DayFrom1 = monthStart, DayTo1 = to, DayFrom2 = DateOnly.MaxValue, DayTo2 = DateOnly.MinValue };
    }

    internal static async Task<Dictionary<string, WardInfo>> WardsAsync(Db db, CancellationToken ct) =>
        (await db.QueryAsync<WardInfo>(Sql.Wards, null, ct)).ToDictionary(w => w.Code);

    internal static ReportLineResponse Line(string group, string? name, IEnumerable<Cell> cells)
    {
        int received = 0, resolved = 0, onTime = 0, workingDays = 0, supplements = 0, rejections = 0, withdrawals = 0, objections = 0, rated = 0,
            satisfied = 0, beneficiaries = 0, online = 0, refusals = 0;
        long amount = 0;
        foreach (var c in cells)
        {
            received += c.Received; resolved += c.Resolved; onTime += c.OnTime; workingDays += c.WorkingDays; supplements += c.Supplements;
            rejections += c.Rejections; withdrawals += c.Withdrawals; objections += c.Objections; rated += c.Rated; satisfied += c.Satisfied;
            beneficiaries += c.Beneficiaries; amount += c.Amount; online += c.Channel == "online" ? c.Received : 0;
            refusals += c.Refusals;
        }
        return new(group, name, received, resolved, onTime, resolved - onTime, Rate(onTime, resolved),
            resolved == 0 ? null : Math.Round((decimal)workingDays / resolved, 2), supplements, rejections, withdrawals, objections, rated,
            Rate(satisfied, rated), beneficiaries, amount, online)
        { RefusedAtReception = refusals };
    }

    internal static decimal? Rate(int part, int whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4);

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
        public int Refusals { get; init; }
    }

    internal sealed record WardInfo
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Zone { get; init; } = "";
        public long? Population { get; init; }
    }

    /// <summary>One summary row's flow measures (ward "-" = not yet assigned).</summary>
    internal sealed record PeriodCell
    {
        public string Ward { get; init; } = "-";
        public DateOnly Period { get; init; }
        public int Received { get; init; }
        public int Closed { get; init; }
        public int Resolved { get; init; }
        public int OnTime { get; init; }
        public int WorkingDays { get; init; }
    }

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
                   SUM(rated) AS rated, SUM(satisfied) AS satisfied, SUM(refusals) AS refusals
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
