using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Workflow;

/// <summary>
/// "Nothing lost, nothing doubled" with the real executable: kill -9 while work is provably in progress, restart,
/// and every acknowledged dossier's intake completes within two minutes, exactly once.
/// </summary>
public sealed class CrashRecoveryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
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
        await using (var connection = new SqliteConnection($"Data Source={Db}"))
        {
            // Nobody ran them: an API-only node never claims a step.
            Assert.Equal(15, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
                "SELECT COUNT(*) FROM workflow_step WHERE kind = 'Intake' AND status = 'pending' AND claim IS NULL AND attempts = 0"));
        }
        foreach (var f in Directory.GetFiles(folder, "hangfire.db*")) File.Delete(f);   // every queued job is gone

        await using var worker = await ServiceProcess.StartAsync(folder, Settings(worker: true));
        await AssertAllRoutedOnceAsync(worker.Client, receipts);
    }

    [Fact]
    public async Task A_worker_killed_while_processing_loses_nothing_and_doubles_nothing()
    {
        IReadOnlyList<Receipt> receipts;
        await using (var first = await ServiceProcess.StartAsync(folder, Settings(worker: true)))
        {
            var load = SubmissionLoad.Start(_ => first.Client, clients: 4, maxDossiers: 400);
            await Eventually.ReturnsAsync(() => Task.FromResult(load.Count), c => c >= 10, TimeSpan.FromMinutes(2), "submissions before the kill");
            var atKill = await WorkInProgress.KillWhileStepsOutstandingAsync(first, Db, TimeSpan.FromMinutes(2), beforeKill: load.Stop);
            receipts = await load.StopAsync();
            output.WriteLine($"killed with {atKill.Outstanding} steps outstanding ({atKill.Claimed} claimed) after {receipts.Count} acknowledged submissions");
            Assert.True(atKill.Outstanding >= 1);
        }

        await using var restarted = await ServiceProcess.StartAsync(folder, Settings(worker: true));
        await AssertAllRoutedOnceAsync(restarted.Client, [.. receipts]);
    }

    /// <summary>
    /// Clients keep submitting, each logical submission under its own Idempotency-Key and retried with the same key and
    /// body after any failure, while the service is killed with SIGKILL twice and restarted. Each kill lands while a
    /// submission is on the wire by construction: one submission per crash is sent with its body held back halfway, and
    /// the kill comes once that half is out. Size: OSW_CRASH_SIZE (60 in CI; e.g. OSW_CRASH_SIZE=3000 on demand).
    /// </summary>
    [Fact]
    public async Task Kill_9_during_a_submission_load_with_retries_on_the_same_keys_files_every_dossier_exactly_once()
    {
        const int Crashes = 2;
        var size = int.TryParse(Environment.GetEnvironmentVariable("OSW_CRASH_SIZE"), out var n) ? n : 60;
        var current = await ServiceProcess.StartAsync(folder, Settings(worker: true));
        var all = Enumerable.Range(0, size).Select(_ => (Key: Guid.NewGuid().ToString("N"), Dossier: ADossier.Valid())).ToList();
        var held = all.Take(Crashes).ToList();   // the submissions that are in flight at each kill
        var pending = new System.Collections.Concurrent.ConcurrentQueue<(string Key, ADossier Dossier)>(all.Skip(Crashes));
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        var failed = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        long attempts = 0;
        var deadline = DateTime.UtcNow.AddMinutes(5);

        // Submits one logical dossier until acknowledged: the first attempt may carry a held body, retries the plain one.
        async Task SubmitUntilAcknowledgedAsync((string Key, ADossier Dossier) item, HttpContent? firstContent = null)
        {
            var content = firstContent;
            while (true)
            {
                var attempt = Interlocked.Increment(ref attempts);
                inFlight[attempt] = true;
                try
                {
                    var receipt = await item.Dossier.SubmitAsync(Volatile.Read(ref current).Client, item.Key, content);
                    acknowledged[item.Key] = receipt.Code;
                    return;
                }
                catch (Exception e) when ((e is HttpRequestException or TaskCanceledException or InvalidOperationException or ObjectDisposedException or IOException)
                                          && DateTime.UtcNow < deadline)
                {
                    failed[attempt] = true;
                }
                finally
                {
                    inFlight.TryRemove(attempt, out _);
                    content = null;
                }
                await Task.Delay(100);   // the service is down or restarting: same key, same body, again
            }
        }

        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (pending.TryDequeue(out var item)) await SubmitUntilAcknowledgedAsync(item);
        })).ToList();

        var cutOff = new List<HashSet<long>>();
        for (var crash = 1; crash <= Crashes; crash++)
        {
            var target = (size - Crashes) * crash / (Crashes + 1);
            await Eventually.ReturnsAsync(() => Task.FromResult(acknowledged.Count), c => c >= target, TimeSpan.FromMinutes(3), "submissions before the crash");
            var body = new HeldJsonContent(held[crash - 1].Dossier.Body);
            clients.Add(SubmitUntilAcknowledgedAsync(held[crash - 1], body));
            await body.HalfSent.WaitAsync(TimeSpan.FromMinutes(1));
            var dying = current;
            cutOff.Add([.. inFlight.Keys]);   // sent and not answered: the held one at least
            dying.KillHard();
            body.Release();
            SqliteConnection.ClearAllPools();
            Volatile.Write(ref current, await ServiceProcess.StartAsync(folder, Settings(worker: true)));
            await dying.DisposeAsync();
        }
        await Task.WhenAll(clients);
        await using var last = current;

        var interrupted = cutOff.Select(ids => ids.Count(failed.ContainsKey)).ToList();
        output.WriteLine($"{size} submissions, {attempts} attempts; requests cut off by each crash: {string.Join(", ", interrupted)}");
        Assert.All(interrupted, count => Assert.True(count >= 1, "every crash interrupts at least one request"));
        Assert.Equal(size, acknowledged.Count);
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

    private async Task AssertAllRoutedOnceAsync(HttpClient client, IReadOnlyList<Receipt> receipts)
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
