using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Reports;

public sealed record ReportResponse(DateOnly From, DateOnly To, string GroupBy, IReadOnlyList<ReportLineResponse> Lines, ReportLineResponse Total);

public sealed record GetReport(ReportPeriod Period, string? GroupBy) : IQuery<ReportResponse>, IValidatable
{
    public static readonly string[] Groupings = ["province", "ward", "zone", "procedure", "channel"];

    public IEnumerable<FieldError> Validate() => Period.Validate().Concat(
        GroupBy is null || Groupings.Contains(GroupBy) ? [] : [new FieldError("groupBy", $"Nhóm theo một trong: {string.Join(", ", Groupings)}.")]);
}

public sealed class GetReportHandler(Db db) : IQueryHandler<GetReport, ReportResponse>
{
    public async ValueTask<ReportResponse> Handle(GetReport query, CancellationToken ct)
    {
        var groupBy = query.GroupBy ?? "province";
        var (cells, wards) = await ReportCells.CellsAsync(db, query.Period, ct);
        string Key(ReportCells.Cell c) => groupBy switch
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
        var lines = cells.GroupBy(Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => ReportCells.Line(g.Key, Name(g.Key), g)).ToList();
        return new(query.Period.From!.Value, query.Period.To!.Value, groupBy, lines, ReportCells.Line("total", "Toàn tỉnh", cells));
    }
}
