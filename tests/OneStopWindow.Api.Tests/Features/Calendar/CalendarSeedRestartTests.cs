using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Calendar;

/// <summary>
/// A notice shipped in the seed data (Seed/calendar-notices.json) reaches a database created before it, for a year still
/// provisional (Labour Code 2019 Art. 112(3): the year's schedule is the Prime Minister's decision, the default rule a guess) —
/// on the real executable, restarted, with two nodes starting together on one database.
/// </summary>
public sealed class CalendarSeedRestartTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-calendar-").FullName;
    private string Db => Path.Combine(folder, "app.db");

    private Dictionary<string, string> Node() => new()
    {
        ["Role"] = "api",
        ["Database:ConnectionString"] = $"Data Source={Db}",
        ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
        ["Documents:StoragePath"] = Path.Combine(folder, "documents"),
    };

    [Fact]
    public async Task A_seed_notice_reaches_an_existing_database_on_restart_once_even_when_two_nodes_start_together()
    {
        await using (var first = await ServiceProcess.StartAsync(folder, Node()))
            Assert.Equal("9441/TB-BNV", (await YearAsync(first, 2026)).GetProperty("notice").GetProperty("number").GetString());

        // The database as an earlier release left it: calendar rows but no record of notices, and 2026 as the default rule computed
        // it before notice 9441/TB-BNV was shipped (no swapped Saturday 22 Aug).
        await using (var connection = new SqliteConnection($"Data Source={Db}"))
        {
            await connection.OpenAsync();
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                DELETE FROM calendar_revision; DELETE FROM calendar_year; UPDATE calendar_head SET version = 0;
                DELETE FROM calendar_entry WHERE work_date >= '2026-01-01' AND work_date <= '2026-12-31';
                """);
            await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO calendar_entry (work_date, kind, name, source_note) VALUES (@Date, @Kind, @Name, @Source)",
                VietnameseHolidays.ForYear(2026, null).Select(e => new
                {
                    Date = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Kind = e.Kind.ToString(),
                    e.Name,
                    e.Source,
                }));
        }
        SqliteConnection.ClearAllPools();

        var starting = new[] { ServiceProcess.StartAsync(folder, Node()), ServiceProcess.StartAsync(folder, Node()) };
        await Task.WhenAll(starting);
        await using var one = await starting[0];
        await using var two = await starting[1];

        var year = await YearAsync(two, 2026);
        Assert.False(year.GetProperty("provisional").GetBoolean());
        Assert.Equal("9441/TB-BNV", year.GetProperty("notice").GetProperty("number").GetString());
        Assert.Contains(year.GetProperty("entries").EnumerateArray(),
            e => e.GetProperty("date").GetString() == "2026-08-22" && e.GetProperty("kind").GetString() == "SwappedWorkingDay");
        Assert.True((await YearAsync(one, 2027)).GetProperty("provisional").GetBoolean());   // no notice shipped for 2027

        await using var db = new SqliteConnection($"Data Source={Db}");
        await db.OpenAsync();
        // Each year recorded once, whichever node got there first; the other found nothing to do.
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM (SELECT year_number FROM calendar_revision GROUP BY year_number HAVING COUNT(*) > 1)"));
        Assert.Equal("seed-notice", await Dapper.SqlMapper.ExecuteScalarAsync<string>(db, "SELECT change_kind FROM calendar_revision WHERE year_number = 2026"));
        Assert.Equal("adopted", await Dapper.SqlMapper.ExecuteScalarAsync<string>(db, "SELECT change_kind FROM calendar_revision WHERE year_number = 2027"));
        Assert.Equal(await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM calendar_revision"),
            await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT version FROM calendar_head"));
    }

    private static async Task<JsonElement> YearAsync(ServiceProcess node, int year)
    {
        using var response = await node.Client.GetAsync($"/api/v1/calendar/{year}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
