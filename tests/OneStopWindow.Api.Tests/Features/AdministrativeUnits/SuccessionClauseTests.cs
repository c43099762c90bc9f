using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.AdministrativeUnits;

/// <summary>
/// Resolution 1676/NQ-UBTVQH15 Điều 1 khoản 147 names the two Phú Thọ units it left unchanged, Xã Thu Cúc (08545) and Xã Trung
/// Sơn (08311) (the team's data notes, admin-units/README.md): their succession cites that khoản, never "…Đ.1 k." with no number.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class SuccessionClauseTests(ApiFactory api)
{
    private const string Cited = "NQ 1676/NQ-UBTVQH15 Đ.1 k.147";
    private const string Cut = "NQ 1676/NQ-UBTVQH15 Đ.1 k.";

    [Theory]
    [InlineData("08545")]
    [InlineData("08311")]
    public async Task The_unchanged_units_cite_khoan_147(string code)
    {
        var before = await (await api.CreateClient().GetAsync($"/api/v1/admin-units/{code}?era=pre2025")).ReadJsonAsync();
        var successor = before.GetProperty("successors").EnumerateArray().Single();
        Assert.Equal(code, successor.GetProperty("code").GetString());
        Assert.Equal(Cited, successor.GetProperty("resolutionClause").GetString());
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM unit_succession WHERE resolution_clause = @Cut", new { Cut }));
    }

    /// <summary>A database seeded before the fix holds the cut text; the seeder (every start-up) corrects it, and running it again changes nothing.</summary>
    [Fact]
    public async Task A_database_seeded_with_the_cut_clause_is_corrected_at_start_up()
    {
        using (var started = await api.CreateClient().GetAsync("/api/v1/admin-units/08545?era=pre2025")) started.EnsureSuccessStatusCode();   // migrated and seeded
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}"))
        {
            await connection.OpenAsync();
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "UPDATE unit_succession SET resolution_clause = @Cut WHERE old_code IN ('08545', '08311')", new { Cut });
        }
        Assert.Equal(2, await api.ScalarAsync<long>("SELECT COUNT(*) FROM unit_succession WHERE resolution_clause = @Cut", new { Cut }));

        var seeder = api.Services.GetRequiredService<Seeder>();
        await seeder.SeedAsync(CancellationToken.None);
        await seeder.SeedAsync(CancellationToken.None);

        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM unit_succession WHERE resolution_clause = @Cut", new { Cut }));
        Assert.Equal(2, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM unit_succession WHERE old_code IN ('08545', '08311') AND resolution_clause = @Cited", new { Cited }));
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM unit_succession WHERE resolution_clause LIKE '%k.'"));
    }
}
