using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Payments;

/// <summary>
/// Kill -9 while the monthly lists are being generated (issue 19), with the real executable: the kill lands while some
/// wards' lists are written and others not, observed in the database under its write lock (so nothing changes between
/// the look and the kill). After the restart the next run completes every ward's list, and no line or month is doubled.
/// </summary>
public sealed class PaymentListCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int PerWard = 40;
    private const long Amount = 540_000;
    private readonly string folder = Directory.CreateTempSubdirectory("osw-paycrash-").FullName;
    private string Db => Path.Combine(folder, "app.db");

    private Dictionary<string, string> Settings() => new()
    {
        ["Database:ConnectionString"] = $"Data Source={Db}",
        ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
        ["Jobs:Server"] = "true",
    };

    [Fact]
    public async Task Kill_9_while_the_lists_are_being_generated_leaves_whole_lists_only_and_the_next_run_completes_them_without_a_double()
    {
        await using (var first = await ServiceProcess.StartAsync(folder, Settings())) first.KillHard();   // migrated and seeded
        SqliteConnection.ClearAllPools();
        var thisMonth = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        var (m0, m1) = (Month(thisMonth), Month(thisMonth.AddMonths(1)));
        var wards = await SeedAsync(m0);

        long atKill;
        await using (var service = await ServiceProcess.StartAsync(folder, Settings()))
        {
            await StartRunAsync(service, m1);
            atKill = await KillWhileSomeWardsAreWrittenAsync(service, wards.Count, m1, TimeSpan.FromMinutes(2));
        }
        output.WriteLine($"killed with {atKill} of {wards.Count} wards' lists written");
        Assert.InRange(atKill, 1, wards.Count - 1);

        SqliteConnection.ClearAllPools();
        await using var restarted = await ServiceProcess.StartAsync(folder, Settings());
        await StartRunAsync(restarted, m1);
        await using var connection = new SqliteConnection($"Data Source={Db}");
        await connection.OpenAsync();
        await Eventually.ReturnsAsync(() => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
                "SELECT COUNT(*) FROM payment_line l JOIN payment_list p ON p.id = l.list_id WHERE p.month = @Month", new { Month = m1 }),
            n => n == wards.Count * PerWard, TimeSpan.FromMinutes(2), "every ward's list complete after the restart");

        Assert.Equal(wards.Count, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM payment_list WHERE month = @Month", new { Month = m1 }));
        // Every entitlement on exactly one line, every month once, at the imported amount; heads agree with their lines.
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM (SELECT entitlement_id FROM payment_line GROUP BY entitlement_id HAVING COUNT(*) <> 1)"));
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM (SELECT entitlement_id, month FROM payment_line_month GROUP BY entitlement_id, month HAVING COUNT(*) > 1)"));
        Assert.Equal(wards.Count * PerWard * 2L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM payment_line_month WHERE month IN (@M0, @M1) AND amount_vnd = @Amount", new { M0 = m0, M1 = m1, Amount }));
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, WholeListsOnly, new { Month = m1 }));
    }

    /// <summary>Lists whose head disagrees with their lines (a half-written list): must be none, at the kill and after.</summary>
    private const string WholeListsOnly = """
        SELECT COUNT(*) FROM payment_list p
        WHERE p.month = @Month AND (p.line_count <> (SELECT COUNT(*) FROM payment_line l WHERE l.list_id = p.id)
           OR p.total_vnd <> (SELECT COALESCE(SUM(l.amount_vnd), 0) FROM payment_line l WHERE l.list_id = p.id))
        """;

    private static string Month(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static async Task StartRunAsync(ServiceProcess service, string month)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-lists/generation?month={month}");
        request.Headers.Authorization = new("Bearer", TokenCommand.Mint(new AuthOptions(), "provincial-officer", null, null, "crash-test", null, TimeSpan.FromHours(1)));
        using var response = await service.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>
    /// Polls under the database's write lock (every writer of the service waits meanwhile) until some but not all wards'
    /// lists exist, checks they are whole, and kills the service before releasing the lock.
    /// </summary>
    private async Task<long> KillWhileSomeWardsAreWrittenAsync(ServiceProcess service, int wards, string month, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            await using (var locked = await WorkInProgress.HoldWriteLockAsync(Db))
            {
                var written = await Dapper.SqlMapper.ExecuteScalarAsync<long>(locked, "SELECT COUNT(*) FROM payment_list WHERE month = @Month", new { Month = month });
                if (written > 0 && written < wards)
                {
                    Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(locked, WholeListsOnly, new { Month = month }));
                    service.KillHard();
                    return written;
                }
                if (written >= wards) throw new InvalidOperationException("the run finished before it was observed in progress: seed more entitlements");
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no ward's list appeared within {within}");
            await Task.Delay(5);
        }
    }

    /// <summary><see cref="PerWard"/> legacy-amount entitlements started this month in every ward of the province.</summary>
    private async Task<List<string>> SeedAsync(string startMonth)
    {
        await using var connection = new SqliteConnection($"Data Source={Db}");
        await connection.OpenAsync();
        var wards = (await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT code FROM admin_unit WHERE era = 'current' AND province_code = '25' AND unit_type IN ('ward', 'commune') ORDER BY code")).ToList();
        await using var tx = await connection.BeginTransactionAsync();
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var rows = wards.SelectMany(w => Enumerable.Range(0, PerWard).Select(i => new { Id = Guid.CreateVersion7().ToString(), Ward = w, Name = $"Người hưởng {w}-{i}" })).ToList();
        await Dapper.SqlMapper.ExecuteAsync(connection, """
            INSERT INTO entitlement (id, person_id_hash, full_name, benefit_code, ward_code, start_month, end_month, status, amount_source, suspension_reason,
                beneficiary_id, dossier_id, version, created_at, updated_at)
            VALUES (@Id, NULL, @Name, 'BTXH-01', @Ward, @Start, NULL, 'Active', 'Imported', NULL, NULL, NULL, 1, @Now, @Now)
            """, rows.Select(r => new { r.Id, r.Name, r.Ward, Start = startMonth, Now = now }), tx);
        await Dapper.SqlMapper.ExecuteAsync(connection, """
            INSERT INTO entitlement_basis (entitlement_id, from_month, source, imported_amount_vnd, claim, dossier_id, decision_number, recorded_at)
            VALUES (@Id, @Start, 'Imported', @Amount, NULL, NULL, NULL, @Now)
            """, rows.Select(r => new { r.Id, Start = startMonth, Amount, Now = now }), tx);
        await tx.CommitAsync();
        output.WriteLine($"seeded {rows.Count} entitlements in {wards.Count} wards");
        return wards;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
