using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Zones;

/// <param name="Zone">`urban`, `lowland`, `midland` or `mountainous`.</param>
/// <param name="EthnicRegion">Ethnic-minority region level: `none`, `I`, `II`, `III`; null = not yet determined.</param>
/// <param name="Population">Inhabitants, when known (for per-thousand rates).</param>
/// <param name="Source">Where this classification comes from (decision number and date, or survey).</param>
/// <param name="ValidFrom">From when it applies (default: now).</param>
public sealed record SetWardZoneRequest(string? Zone, string? EthnicRegion, long? Population, string? Source, DateTimeOffset? ValidFrom);

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

public sealed class SetWardZoneHandler(Db db, TimeProvider clock) : ICommandHandler<SetWardZone, WardZoneResponse>
{
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
            await Dossiers.NeedScores.RefreshWardAsync(tx, cmd.WardCode);   // the ward's open dossiers take their new place in the queues
            await tx.CommitAsync();
        }
        catch (System.Data.Common.DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw ProblemException.Conflict("zone-changed", "Phân vùng vừa được người khác cập nhật", "Tải lại và thử lại.");
        }
        return (await db.QueryAsync<ZoneRow>(ZoneStatements.Sql.Current, new { Ward = cmd.WardCode }, ct)).Single().ToResponse();
    }

    internal static class Sql
    {
        public const string Close = "UPDATE ward_zone SET valid_to = @At WHERE ward_code = @Ward AND valid_to IS NULL";
        public const string Insert = """
            INSERT INTO ward_zone (id, ward_code, zone, ethnic_region, population, valid_from, valid_to, source, recorded_by, recorded_at)
            VALUES (@Id, @Ward, @Zone, @EthnicRegion, @Population, @ValidFrom, NULL, @Source, @RecordedBy, @Now)
            """;
    }
}
