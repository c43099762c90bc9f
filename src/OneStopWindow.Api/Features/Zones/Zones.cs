using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Zones;

/// <summary>
/// Zones and the ethnic-minority region level of each ward/commune, which the priority order
/// (<see cref="Priority"/>) weighs. No official list for the new units exists yet (Decree 272/2025 sets the 2026–2030
/// criteria; its list is unpublished), so this is data provincial officers maintain, with history and the source of every value.
/// </summary>
public static class Zone
{
    public static readonly string[] Values = ["urban", "lowland", "midland", "mountainous"];
    public static readonly string[] EthnicRegions = ["none", "I", "II", "III"];

    public static string Label(string? zone) => zone switch
    {
        "mountainous" => "xã/phường miền núi",
        "midland" => "xã/phường trung du",
        "lowland" => "xã/phường đồng bằng",
        "urban" => "phường đô thị",
        _ => "chưa phân loại",
    };
}

/// <summary>Why a dossier stands where it does in a priority-ordered queue: the terms of <see cref="Priority"/>, in words.</summary>
public static class PriorityReasons
{
    public static (int Urgency, int Need, IReadOnlyList<string> Reasons) Explain(int urgency, string? zone, string? ethnic, string? vulnerability)
    {
        var reasons = new List<string>
        {
            urgency switch
            {
                0 => "Quá hạn",
                1 => string.Create(CultureInfo.InvariantCulture, $"Sắp đến hạn (≤ {Deadline.AtRiskWithinWorkingDays} ngày làm việc)"),
                _ => "Trong hạn",
            },
        };
        if (Priority.ZoneWeight(zone) is > 0 and var z) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{Zone.Label(zone)} (+{z})"));
        if (Priority.EthnicRegionWeight(ethnic) is > 0 and var e) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"vùng đồng bào DTTS khu vực {ethnic} (+{e})"));
        if (vulnerability is not null) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"người nộp thuộc nhóm yếu thế: {vulnerability} (+{Priority.VulnerableWeight})"));
        return (urgency, Priority.Need(zone, ethnic, vulnerability is not null), reasons);
    }
}

/// <param name="Zone">`urban`, `lowland`, `midland` or `mountainous`.</param>
/// <param name="EthnicRegion">Ethnic-minority region level: `none`, `I`, `II`, `III`; null = not yet determined.</param>
/// <param name="Population">Inhabitants, when known (for per-thousand rates).</param>
/// <param name="Source">Where this classification comes from (decision number and date, or survey).</param>
/// <param name="ValidFrom">From when it applies (default: now).</param>
public sealed record SetWardZoneRequest(string? Zone, string? EthnicRegion, long? Population, string? Source, DateTimeOffset? ValidFrom);

public sealed record WardZoneResponse(string WardCode, string WardName, string Zone, string? EthnicRegion, long? Population,
    DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, string Source, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record ListWardZones(bool History, string? WardCode) : IQuery<IReadOnlyList<WardZoneResponse>>;

public sealed record SetWardZone(string WardCode, SetWardZoneRequest Request, Caller Caller) : ICommand<WardZoneResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Request.Zone is null || !Zone.Values.Contains(Request.Zone)) yield return new("zone", $"Vùng phải là một trong: {string.Join(", ", Zone.Values)}.");
        if (Request.EthnicRegion is not null && !Zone.EthnicRegions.Contains(Request.EthnicRegion))
            yield return new("ethnicRegion", "Khu vực DTTS phải là 'none', 'I', 'II' hoặc 'III' (bỏ trống nếu chưa xác định).");
        if (Request.Population is < 0 or > 10_000_000) yield return new("population", "Dân số không hợp lệ.");
        if (string.IsNullOrWhiteSpace(Request.Source) || Request.Source.Length > 1000) yield return new("source", "Ghi rõ căn cứ (số, ngày văn bản) — tối đa 1000 ký tự.");
    }
}

public sealed class ZoneHandlers(Db db, TimeProvider clock) : IQueryHandler<ListWardZones, IReadOnlyList<WardZoneResponse>>, ICommandHandler<SetWardZone, WardZoneResponse>
{
    public async ValueTask<IReadOnlyList<WardZoneResponse>> Handle(ListWardZones query, CancellationToken ct) =>
        (await db.QueryAsync<Row>(query.History ? Sql.History : Sql.Current, new { Ward = query.WardCode }, ct)).Select(r => r.ToResponse()).ToList();

    private sealed record Row
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

    /// <summary>Closes the current classification and opens the new one: the history keeps every value with its source.</summary>
    public async ValueTask<WardZoneResponse> Handle(SetWardZone cmd, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.BeginWriteAsync(ct);
        if (!await AdministrativeUnits.PhuThoWards.ExistsAsync(tx, cmd.WardCode))
            throw ProblemException.NotFound($"xã/phường {cmd.WardCode} của tỉnh Phú Thọ");
        var from = cmd.Request.ValidFrom ?? now;
        await tx.ExecuteAsync(Sql.Close, new { Ward = cmd.WardCode, At = from });
        try
        {
            await tx.ExecuteAsync(Sql.Insert, new
            {
                Id = Guid.CreateVersion7(),
                Ward = cmd.WardCode,
                cmd.Request.Zone,
                cmd.Request.EthnicRegion,
                cmd.Request.Population,
                ValidFrom = from,
                Source = cmd.Request.Source!.Trim(),
                RecordedBy = cmd.Caller.Id,
                Now = now,
            });
            await tx.CommitAsync();
        }
        catch (System.Data.Common.DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw ProblemException.Conflict("zone-changed", "Phân vùng vừa được người khác cập nhật", "Tải lại và thử lại.");
        }
        return (await db.QueryAsync<Row>(Sql.Current, new { Ward = cmd.WardCode }, ct)).Single().ToResponse();
    }

    internal static class Sql
    {
        private const string Columns = """
            SELECT z.ward_code, u.full_name AS ward_name, z.zone, z.ethnic_region, z.population, z.valid_from, z.valid_to, z.source,
                   z.recorded_by, z.recorded_at
            FROM ward_zone z JOIN admin_unit u ON u.era = 'current' AND u.code = z.ward_code
            """;
        public const string Current = Columns + "\nWHERE z.valid_to IS NULL AND (@Ward IS NULL OR z.ward_code = @Ward) ORDER BY z.ward_code";
        public const string History = Columns + "\nWHERE (@Ward IS NULL OR z.ward_code = @Ward) ORDER BY z.ward_code, z.valid_from";
        public const string Close = "UPDATE ward_zone SET valid_to = @At WHERE ward_code = @Ward AND valid_to IS NULL";
        public const string Insert = """
            INSERT INTO ward_zone (id, ward_code, zone, ethnic_region, population, valid_from, valid_to, source, recorded_by, recorded_at)
            VALUES (@Id, @Ward, @Zone, @EthnicRegion, @Population, @ValidFrom, NULL, @Source, @RecordedBy, @Now)
            """;
    }
}

public static class ZoneEndpoints
{
    public static IEndpointRouteBuilder MapZones(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/zones", async (bool? history, string? ward, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListWardZones(history == true, ward), ct)))
            .WithTags("Zones and priority").RequireAuthorization(Policies.Staff)
            .WithName("ListWardZones")
            .WithSummary("Zone and ethnic-minority region level of every ward/commune (current, or with history)")
            .WithDescription($"Staff. Seeded with a documented first approximation (README, 'Zones'); every value names its source. {Priority.Description}")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapPut("/api/v1/zones/{wardCode}", async (string wardCode, SetWardZoneRequest request, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetWardZone(wardCode, request, Caller.From(http.User)), ct)))
            .WithTags("Zones and priority").RequireAuthorization(Policies.Provincial)
            .WithName("SetWardZone").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject
            {
                ["zone"] = "mountainous",
                ["ethnicRegion"] = "III",
                ["population"] = 12450,
                ["source"] = "Quyết định phê duyệt danh sách xã khu vực III giai đoạn 2026–2030 (số, ngày ban hành) — ví dụ cho Xã Đà Bắc",
                ["validFrom"] = null,
            })
            .WithSummary("Record a ward's classification (the previous one is kept in the history)")
            .WithDescription("Provincial officers and administrators. The source (decision number and date) is required.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
