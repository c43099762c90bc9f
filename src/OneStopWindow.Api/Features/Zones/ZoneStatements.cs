namespace OneStopWindow.Api.Features.Zones;

public sealed record WardZoneResponse(string WardCode, string WardName, string Zone, string? EthnicRegion, long? Population,
    DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, string Source, string RecordedBy, DateTimeOffset RecordedAt);

internal sealed record ZoneRow
{
    public string WardCode { get; init; } = "";
    public string WardName { get; init; } = "";
    public string Zone { get; init; } = "";
    public string? EthnicRegion { get; init; }
    public long? Population { get; init; }
    public DateTimeOffset ValidFrom { get; init; }
    public DateTimeOffset? ValidTo { get; init; }
    public string Source { get; init; } = "";
    public string RecordedBy { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }

    public WardZoneResponse ToResponse() => new(WardCode, WardName, Zone, EthnicRegion, Population, ValidFrom, ValidTo, Source, RecordedBy, RecordedAt);
}

internal static class ZoneStatements
{
    internal static class Sql
    {
        private const string Columns = """
            SELECT z.ward_code, u.full_name AS ward_name, z.zone, z.ethnic_region, z.population, z.valid_from, z.valid_to, z.source,
                   z.recorded_by, z.recorded_at
            FROM ward_zone z JOIN admin_unit u ON u.era = 'current' AND u.code = z.ward_code
            """;
        public const string Current = Columns + "\nWHERE z.valid_to IS NULL AND (@Ward IS NULL OR z.ward_code = @Ward) ORDER BY z.ward_code";
        public const string History = Columns + "\nWHERE (@Ward IS NULL OR z.ward_code = @Ward) ORDER BY z.ward_code, z.valid_from";
    }
}
