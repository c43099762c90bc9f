using System.Globalization;
using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Reports;

/// <summary>One month of one series: on-time rate and waiting days of the dossiers decided that month, backlog at its end.</summary>
public sealed record TrendPointResponse(string Series, string Month, int Received, int Resolved, decimal? OnTimeRate, decimal? AverageWorkingDaysToDecide, int Backlog);

public sealed record TrendResponse(DateOnly From, DateOnly To, string GroupBy, IReadOnlyList<TrendPointResponse> Points);

public sealed record GetTrend(ReportPeriod Period, string? GroupBy) : IQuery<TrendResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => Period.Validate().Concat(
        GroupBy is null or "province" or "zone" or "ward" ? [] : [new FieldError("groupBy", "Nhóm theo 'province', 'zone' hoặc 'ward'.")]);
}

public sealed class GetTrendHandler(Db db) : IQueryHandler<GetTrend, TrendResponse>
{
    public async ValueTask<TrendResponse> Handle(GetTrend query, CancellationToken ct)
    {
        var groupBy = query.GroupBy ?? "province";
        var wards = await ReportCells.WardsAsync(db, ct);
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
        var upTo = await db.QueryAsync<ReportCells.PeriodCell>(ReportCells.Sql.Flow, ReportCells.UpTo(to), ct);
        var inPeriod = await db.QueryAsync<ReportCells.PeriodCell>(ReportCells.Sql.Flow, ReportCells.Range(from, to), ct);
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
                points.Add(new(series, month, r.Where(c => c.Month == month).Sum(c => c.Count), resolved, ReportCells.Rate(inMonth.Sum(c => c.OnTime), resolved),
                    resolved == 0 ? null : Math.Round((decimal)inMonth.Sum(c => c.WorkingDays) / resolved, 2), backlog));
            }
        }
        return new(from, to, groupBy, points);
    }

    private sealed record MonthCell(string? Ward, string Month, int Count, int OnTime, int WorkingDays);

    private static List<MonthCell> ByMonth(IEnumerable<ReportCells.PeriodCell> cells, Func<ReportCells.PeriodCell, int> count,
        Func<ReportCells.PeriodCell, int> onTime, Func<ReportCells.PeriodCell, int> days) => cells
        .GroupBy(c => (Ward: c.Ward == "-" ? null : c.Ward, Month: c.Period.ToString("yyyy-MM", CultureInfo.InvariantCulture)))
        .Select(g => new MonthCell(g.Key.Ward, g.Key.Month, g.Sum(count), g.Sum(onTime), g.Sum(days)))
        .Where(m => m.Count != 0 || m.OnTime != 0 || m.WorkingDays != 0)
        .ToList();
}
