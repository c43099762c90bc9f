using System.Net;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Workflow;

/// <summary>
/// The deployment shape on one machine: two API processes and one worker process of the real executable on one
/// embedded database. The API nodes never touch the job storage; they hand work over through the application
/// database (pending workflow steps), and the single worker does it — once, even when it is killed mid-run.
/// </summary>
public sealed class MultiNodeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-nodes-").FullName;
    private string Db => Path.Combine(folder, "app.db");

    private Dictionary<string, string> Node(string role) => new()
    {
        ["Role"] = role,
        ["Database:ConnectionString"] = $"Data Source={Db}",
        ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
        ["Documents:StoragePath"] = Path.Combine(folder, "documents"),
    };

    [Fact]
    public async Task Dossiers_submitted_to_either_api_node_are_processed_once_by_the_worker_even_when_it_is_killed_mid_run()
    {
        await using var api1 = await ServiceProcess.StartAsync(folder, Node("api"));
        await using var api2 = await ServiceProcess.StartAsync(folder, Node("api"));
        var receipts = new List<(Receipt Receipt, HttpClient Node)>();
        var worker = await ServiceProcess.StartAsync(folder, Node("worker"));
        try
        {
            Assert.Equal(HttpStatusCode.NotFound, (await worker.Client.GetAsync("/api/v1/procedures")).StatusCode);   // a worker serves no API

            // Both API nodes take submissions concurrently while the worker runs the workflow; the worker is killed while
            // steps are outstanding (seen in the database under the write lock), and the API nodes go on without it.
            var load = SubmissionLoad.Start(n => n % 2 == 0 ? api1.Client : api2.Client, clients: 2, maxDossiers: 400);
            await Eventually.ReturnsAsync(() => Task.FromResult(load.Count), c => c >= 20, TimeSpan.FromMinutes(2), "submissions before the kill");
            var atKill = await WorkInProgress.KillWhileStepsOutstandingAsync(worker, Db, TimeSpan.FromMinutes(2));
            Assert.True(atKill.Outstanding >= 1);
            foreach (var r in await load.StopAsync()) receipts.Add((r, api1.Client));
            await SubmitAsync(api1, api2, receipts, 10);   // the API nodes keep accepting without any worker
            Assert.Contains(await StatusesAsync(api1, receipts), s => s == "Submitted");
        }
        finally
        {
            await worker.DisposeAsync();
        }

        await using var restarted = await ServiceProcess.StartAsync(folder, Node("worker"));
        foreach (var (receipt, node) in receipts)
            Assert.Equal("Received", (await receipt.AfterIntakeAsync(node, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());

        await using var connection = new SqliteConnection($"Data Source={Db}");
        await connection.OpenAsync();
        Assert.Equal(receipts.Count, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM dossier"));
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM (SELECT dossier_id, kind FROM dossier_event WHERE kind IN ('Submitted', 'RoutedToWard') GROUP BY dossier_id, kind HAVING COUNT(*) > 1)"));
        await Eventually.ReturnsAsync(() => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM workflow_step WHERE status <> 'done'"),
            pending => pending == 0, TimeSpan.FromMinutes(2), "every workflow step (intake, registry checks, notifications) to complete");
        Assert.Equal(receipts.Count, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(DISTINCT dossier_id) FROM dossier_event WHERE kind = 'RoutedToWard'"));
        // The registry gateways are switched off here: intake records that answer itself instead of queueing steps for it.
        Assert.Equal(receipts.Count, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(DISTINCT dossier_id) FROM registry_check WHERE registry = 'population' AND result = 'disabled'"));
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM workflow_step WHERE kind LIKE 'Registry:%'"));
    }

    private static async Task SubmitAsync(ServiceProcess api1, ServiceProcess api2, List<(Receipt, HttpClient)> receipts, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var node = i % 2 == 0 ? api1.Client : api2.Client;
            var receipt = await ADossier.Valid().SubmitAsync(node);
            lock (receipts) receipts.Add((receipt, node));
        }));

    private static async Task<List<string?>> StatusesAsync(ServiceProcess api, List<(Receipt Receipt, HttpClient Node)> receipts)
    {
        var statuses = new List<string?>();
        foreach (var (receipt, _) in receipts) statuses.Add((await receipt.StatusAsync(api.Client)).GetProperty("status").GetString());
        return statuses;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
