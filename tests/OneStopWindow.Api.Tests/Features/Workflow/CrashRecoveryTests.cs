using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Workflow;

/// <summary>
/// "Nothing lost, nothing doubled" with the real executable: kill -9 at the worst moments, restart,
/// and every acknowledged dossier's intake completes within two minutes, exactly once.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-crash-").FullName;
    private string Db => Path.Combine(folder, "app.db");
    private string JobsDb => Path.Combine(folder, "hangfire.db");

    private Dictionary<string, string> Settings(bool worker) => new()
    {
        ["Database:ConnectionString"] = $"Data Source={Db}",
        ["Jobs:SqlitePath"] = JobsDb,
        ["Jobs:Server"] = worker ? "true" : "false",
    };

    [Fact]
    public async Task Steps_committed_but_never_run_complete_once_after_a_crash_that_also_lost_the_job_storage()
    {
        var receipts = new List<Receipt>();
        await using (var apiOnly = await ServiceProcess.StartAsync(folder, Settings(worker: false)))
        {
            for (var i = 0; i < 15; i++) receipts.Add(await ADossier.Valid().SubmitAsync(apiOnly.Client));
            apiOnly.KillHard();
        }
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(folder, "hangfire.db*")) File.Delete(f);   // every queued job is gone

        await using var worker = await ServiceProcess.StartAsync(folder, Settings(worker: true));
        await AssertAllRoutedOnceAsync(worker.Client, receipts);
    }

    [Fact]
    public async Task A_worker_killed_while_processing_loses_nothing_and_doubles_nothing()
    {
        var receipts = new List<Receipt>();
        await using (var first = await ServiceProcess.StartAsync(folder, Settings(worker: true)))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                for (var i = 0; i < 10; i++)
                {
                    var r = await ADossier.Valid().SubmitAsync(first.Client);
                    lock (receipts) receipts.Add(r);
                }
            }));
            first.KillHard();   // right after the last 201: some steps are queued, some fetched, some done
        }

        await using var restarted = await ServiceProcess.StartAsync(folder, Settings(worker: true));
        await AssertAllRoutedOnceAsync(restarted.Client, receipts);
    }

    [Fact]
    public async Task A_second_worker_on_the_same_embedded_job_storage_refuses_to_start()
    {
        await using var worker = await ServiceProcess.StartAsync(folder, Settings(worker: true));
        var second = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(folder, Settings(worker: true)));
        Assert.Contains("exited", second.Message, StringComparison.Ordinal);
        await using var apiOnly = await ServiceProcess.StartAsync(folder, Settings(worker: false));   // API-only nodes are fine
        Assert.Equal("Submitted", (await ADossier.Valid().SubmitAsync(apiOnly.Client)).Json.GetProperty("status").GetString());
    }

    private async Task AssertAllRoutedOnceAsync(HttpClient client, List<Receipt> receipts)
    {
        foreach (var r in receipts)
        {
            var status = await r.AfterIntakeAsync(client, TimeSpan.FromMinutes(2));
            Assert.Equal("Received", status.GetProperty("status").GetString());
        }
        await using var connection = new SqliteConnection($"Data Source={Db}");
        await connection.OpenAsync();
        var routedTwice = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM (SELECT dossier_id FROM dossier_event WHERE kind = 'RoutedToWard' GROUP BY dossier_id HAVING COUNT(*) > 1)");
        Assert.Equal(0, routedTwice);
        // The notifications queued by intake complete too.
        await Eventually.ReturnsAsync(() => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM workflow_step WHERE status <> 'done'"),
            pending => pending == 0, TimeSpan.FromMinutes(2), "every workflow step to complete");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
