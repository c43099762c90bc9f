using Mediator;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Reports;

/// <param name="ApplicationsPerThousand">Applications received per 1,000 inhabitants, over the wards whose population is known.</param>
/// <param name="PaidLines">Payment lines reported paid, on the approved lists of every month the period touches.</param>
/// <param name="PaidLinesPerThousand">Paid lines per 1,000 inhabitants, over the wards whose population is known.</param>
/// <param name="PaidVndPerThousand">VND paid per 1,000 inhabitants, over the wards whose population is known.</param>
public sealed record EquityLineResponse(string Zone, int Wards, int WardsWithPopulation, long? Population, int Received, decimal? ApplicationsPerThousand,
    int Resolved, decimal? OnTimeRate, decimal? AverageWorkingDaysToDecide, int Backlog,
    int PaidLines, long PaidVnd, decimal? PaidLinesPerThousand, decimal? PaidVndPerThousand);

public sealed record EquityResponse(DateOnly From, DateOnly To, IReadOnlyList<EquityLineResponse> Zones);

public sealed record GetEquity(ReportPeriod Period) : IQuery<EquityResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => Period.Validate();
}

public sealed class GetEquityHandler(Db db) : IQueryHandler<GetEquity, EquityResponse>
{
    public async ValueTask<EquityResponse> Handle(GetEquity query, CancellationToken ct)
    {
        var (cells, wards) = await ReportCells.CellsAsync(db, query.Period, ct);
        var backlog = await BacklogAsync(query.Period.To!.Value, ct);
        var payments = (await PaymentCells.CellsAsync(db, Months.Format(query.Period.From!.Value), Months.Format(query.Period.To!.Value), ct))
            .Where(c => c.Result == PayerResult.Paid.WireName()).GroupBy(c => c.Ward)
            .ToDictionary(g => g.Key, g => (Lines: g.Sum(c => c.Lines), Vnd: g.Sum(c => c.Amount)));
        var byWard = cells.GroupBy(c => c.Ward ?? "-").ToDictionary(g => g.Key, g => g.ToList());
        var lines = wards.Values.GroupBy(w => w.Zone).OrderBy(g => Array.IndexOf(Zones.Zone.Values, g.Key)).Select(zone =>
        {
            var zoneCells = zone.SelectMany(w => byWard.GetValueOrDefault(w.Code) ?? []).ToList();
            var known = zone.Where(w => w.Population is > 0).ToList();
            var receivedWhereKnown = known.Sum(w => (byWard.GetValueOrDefault(w.Code) ?? []).Sum(c => c.Received));
            long? population = known.Count == 0 ? null : known.Sum(w => w.Population!.Value);
            var line = ReportCells.Line(zone.Key, null, zoneCells);
            var paidWhereKnown = known.Select(w => payments.GetValueOrDefault(w.Code)).ToList();
            decimal? PerThousand(decimal value, int decimals) => population is > 0 ? Math.Round(value * 1000m / population.Value, decimals) : null;
            return new EquityLineResponse(zone.Key, zone.Count(), known.Count, population, line.Received,
                PerThousand(receivedWhereKnown, 3), line.Resolved, line.OnTimeRate, line.AverageWorkingDaysToDecide, zone.Sum(w => backlog.GetValueOrDefault(w.Code)),
                zone.Sum(w => payments.GetValueOrDefault(w.Code).Lines), zone.Sum(w => payments.GetValueOrDefault(w.Code).Vnd),
                PerThousand(paidWhereKnown.Sum(p => p.Lines), 3), PerThousand(paidWhereKnown.Sum(p => p.Vnd), 0));
        }).ToList();
        return new(query.Period.From!.Value, query.Period.To!.Value, lines);
    }

    private async Task<Dictionary<string, int>> BacklogAsync(DateOnly at, CancellationToken ct) =>
        (await db.QueryAsync<ReportCells.PeriodCell>(ReportCells.Sql.Flow, ReportCells.UpTo(at), ct)).GroupBy(c => c.Ward)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Received) - g.Sum(c => c.Closed));
}
