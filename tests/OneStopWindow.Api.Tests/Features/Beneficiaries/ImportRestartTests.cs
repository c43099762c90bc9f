using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Beneficiaries;

/// <summary>The real executable killed (kill -9) in the middle of an import: after restart the import completes, once.</summary>
public sealed class ImportRestartTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-import-").FullName;
    private string Db => Path.Combine(folder, "app.db");

    private Dictionary<string, string> Settings() => new()
    {
        ["Database:ConnectionString"] = $"Data Source={Db}",
        ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
        ["Imports:StoragePath"] = Path.Combine(folder, "imports"),
        ["Imports:BatchSize"] = "200",
    };

    [Fact]
    public async Task An_import_interrupted_by_a_crash_resumes_and_applies_every_row_once()
    {
        var path = Path.Combine(folder, "vinhphuc-btxh.csv");
        JsonElement operation;
        BeneficiaryLists.Expected expected;
        await using (var first = await ServiceProcess.StartAsync(folder, Settings()))
        {
            var (oneToOne, split) = await ImportTests.CommunesAsync(Db);
            expected = BeneficiaryLists.Write(path, 60_000, "028045", oneToOne, split);
            first.Client.DefaultRequestHeaders.Authorization = new("Bearer",
                TokenCommand.Mint(new AuthOptions(), "provincial-officer", null, null, null, null, TimeSpan.FromHours(1)));
            operation = await ImportTests.UploadAsync(first.Client, path, "vinhphuc-btxh");
            var id = operation.GetProperty("id").GetString();
            // Killed midway by construction: under the write lock the import cannot move, so what is read there holds at the kill.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            long doneAtKill;
            while (true)
            {
                await using var locked = await WorkInProgress.HoldWriteLockAsync(Db);
                doneAtKill = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(locked, "SELECT rows_done FROM beneficiary_import") ?? 0;
                if (doneAtKill > 0)
                {
                    first.KillHard();
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"the import of {id} never started");
                await Dapper.SqlMapper.ExecuteAsync(locked, "ROLLBACK");
                await Task.Delay(20);
            }
            Assert.InRange(doneAtKill, 1, expected.Rows - 1);   // really interrupted midway
        }
        SqliteConnection.ClearAllPools();

        await using var restarted = await ServiceProcess.StartAsync(folder, Settings());
        restarted.Client.DefaultRequestHeaders.Authorization = new("Bearer",
            TokenCommand.Mint(new AuthOptions(), "provincial-officer", null, null, null, null, TimeSpan.FromHours(1)));
        var done = await ImportTests.FinishedAsync(restarted.Client, operation, TimeSpan.FromMinutes(3));
        Assert.True(done.GetProperty("status").GetString() == "completed" && done.GetProperty("mapped").GetInt32() == expected.Mapped, done.ToString() + " expected " + expected);
        Assert.Equal(expected.Rows, done.GetProperty("rowsDone").GetInt32());
        Assert.Equal(expected.Mapped, done.GetProperty("mapped").GetInt32());
        Assert.Equal(expected.Reverification, done.GetProperty("reverification").GetInt32());
        Assert.Equal(expected.Rejected, done.GetProperty("rejected").GetInt32());

        await using var db = new SqliteConnection($"Data Source={Db}");
        Assert.Equal(expected.Imported, await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM beneficiary"));
        Assert.Equal(expected.Rows, await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM import_row"));
        Assert.Equal(expected.Reverification, await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM reverification"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
