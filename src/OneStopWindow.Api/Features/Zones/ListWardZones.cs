using Mediator;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Zones;

public sealed record ListWardZones(bool History, string? WardCode) : IQuery<IReadOnlyList<WardZoneResponse>>;

public sealed class ListWardZonesHandler(Db db) : IQueryHandler<ListWardZones, IReadOnlyList<WardZoneResponse>>
{
    public async ValueTask<IReadOnlyList<WardZoneResponse>> Handle(ListWardZones query, CancellationToken ct) =>
        (await db.QueryAsync<ZoneRow>(query.History ? ZoneStatements.Sql.History : ZoneStatements.Sql.Current, new { Ward = query.WardCode }, ct)).Select(r => r.ToResponse()).ToList();
}
