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

    /// <summary>
    /// Clients keep submitting, each logical submission under its own Idempotency-Key and retried with the same key and
    /// body after any failure, while the service is killed with SIGKILL twice and restarted. Size: OSW_CRASH_SIZE
    /// (60 in CI; e.g. OSW_CRASH_SIZE=3000 on demand).
    /// </summary>
    [Fact]
    public async Task Kill_9_during_a_submission_load_with_retries_on_the_same_keys_files_every_dossier_exactly_once()
    {
        var size = int.TryParse(Environment.GetEnvironmentVariable("OSW_CRASH_SIZE"), out var n) ? n : 60;
        var current = await ServiceProcess.StartAsync(folder, Settings(worker: true));
        var pending = new System.Collections.Concurrent.ConcurrentQueue<(string Key, ADossier Dossier)>(
            Enumerable.Range(0, size).Select(_ => (Guid.NewGuid().ToString("N"), ADossier.Valid())));
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var attempts = 0;
        var deadline = DateTime.UtcNow.AddMinutes(5);
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (pending.TryDequeue(out var item))
            {
                while (true)
                {
                    Interlocked.Increment(ref attempts);
                    try
                    {
                        var receipt = await item.Dossier.SubmitAsync(Volatile.Read(ref current).Client, item.Key);
                        acknowledged[item.Key] = receipt.Code;
                        break;
                    }
                    catch (Exception e) when ((e is HttpRequestException or TaskCanceledException or InvalidOperationException or ObjectDisposedException)
                                              && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(100);   // the service is down or restarting: same key, same body, again
                    }
                }
            }
        })).ToList();

        for (var crash = 1; crash <= 2; crash++)
        {
            var target = size * crash / 3;
            await Eventually.ReturnsAsync(() => Task.FromResult(acknowledged.Count), c => c >= target, TimeSpan.FromMinutes(3), "submissions before the crash");
            var dying = current;
            dying.KillHard();
            SqliteConnection.ClearAllPools();
            Volatile.Write(ref current, await ServiceProcess.StartAsync(folder, Settings(worker: true)));
            await dying.DisposeAsync();
        }
        await Task.WhenAll(clients);
        await using var last = current;

        Assert.Equal(size, acknowledged.Count);
        Assert.True(attempts > size, "some submissions had to be retried across a crash");
        await using var connection = new SqliteConnection($"Data Source={Db}");
        await connection.OpenAsync();
        Assert.Equal(size, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM dossier"));
        var stored = (await Dapper.SqlMapper.QueryAsync<(string Key, string Code)>(connection,
            "SELECT r.idem_key, d.code FROM idempotency_record r JOIN dossier d ON d.id = r.dossier_id")).ToDictionary(r => r.Key, r => r.Code);
        foreach (var (key, code) in acknowledged) Assert.Equal(code, stored[key]);   // the receipt the client holds is the stored dossier
        var receipts = acknowledged.Values.ToHashSet();
        Assert.Equal(size, receipts.Count);
        await Eventually.ReturnsAsync(() => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM workflow_step WHERE status <> 'done'"),
            left => left == 0, TimeSpan.FromMinutes(3), "every workflow step to complete after the crashes");
        Assert.Equal(size, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(DISTINCT dossier_id) FROM dossier_event WHERE kind = 'RoutedToWard'"));
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM (SELECT dossier_id, kind FROM dossier_event WHERE kind IN ('Submitted', 'RoutedToWard') GROUP BY dossier_id, kind HAVING COUNT(*) > 1)"));
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM (SELECT dossier_id, kind FROM workflow_step GROUP BY dossier_id, kind HAVING COUNT(*) > 1)"));
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
