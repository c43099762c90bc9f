using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Reports;

/// <summary>The provincial service indicators the national scoring uses, from the same data.</summary>
public sealed record IndicatorsResponse(DateOnly From, DateOnly To, decimal? OnTimeRate, decimal? OnlineShare, decimal? Satisfaction, int Received, int Resolved, int Rated);

public sealed record GetIndicators(ReportPeriod Period) : IQuery<IndicatorsResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate() => Period.Validate();
}

public sealed class GetIndicatorsHandler(Db db) : IQueryHandler<GetIndicators, IndicatorsResponse>
{
    public async ValueTask<IndicatorsResponse> Handle(GetIndicators query, CancellationToken ct)
    {
        var (cells, _) = await ReportCells.CellsAsync(db, query.Period, ct);
        var t = ReportCells.Line("total", null, cells);
        return new(query.Period.From!.Value, query.Period.To!.Value, t.OnTimeRate, ReportCells.Rate(t.ReceivedOnline, t.Received), t.Satisfaction, t.Received, t.Resolved, t.Rated);
    }
}
