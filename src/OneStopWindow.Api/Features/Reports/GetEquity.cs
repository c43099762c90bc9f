using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Reports;

/// <param name="ApplicationsPerThousand">Applications received per 1,000 inhabitants, over the wards whose population is known.</param>
public sealed record EquityLineResponse(string Zone, int Wards, int WardsWithPopulation, long? Population, int Received, decimal? ApplicationsPerThousand,
    int Resolved, decimal? OnTimeRate, decimal? AverageWorkingDaysToDecide, int Backlog);

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
        var byWard = cells.GroupBy(c => c.Ward ?? "-").ToDictionary(g => g.Key, g => g.ToList());
        var lines = wards.Values.GroupBy(w => w.Zone).OrderBy(g => Array.IndexOf(Zones.Zone.Values, g.Key)).Select(zone =>
        {
            var zoneCells = zone.SelectMany(w => byWard.GetValueOrDefault(w.Code) ?? []).ToList();
            var known = zone.Where(w => w.Population is > 0).ToList();
            var receivedWhereKnown = known.Sum(w => (byWard.GetValueOrDefault(w.Code) ?? []).Sum(c => c.Received));
            long? population = known.Count == 0 ? null : known.Sum(w => w.Population!.Value);
            var line = ReportCells.Line(zone.Key, null, zoneCells);
            return new EquityLineResponse(zone.Key, zone.Count(), known.Count, population, line.Received,
                population is > 0 ? Math.Round(receivedWhereKnown * 1000m / population.Value, 3) : null,
                line.Resolved, line.OnTimeRate, line.AverageWorkingDaysToDecide, zone.Sum(w => backlog.GetValueOrDefault(w.Code)));
        }).ToList();
        return new(query.Period.From!.Value, query.Period.To!.Value, lines);
    }

    private async Task<Dictionary<string, int>> BacklogAsync(DateOnly at, CancellationToken ct) =>
        (await db.QueryAsync<ReportCells.PeriodCell>(ReportCells.Sql.Flow, ReportCells.UpTo(at), ct)).GroupBy(c => c.Ward)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Received) - g.Sum(c => c.Closed));
}
