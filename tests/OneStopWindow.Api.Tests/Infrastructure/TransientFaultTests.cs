using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>
/// Faults below the data layer, for real: another connection holds the SQLite write lock, so the service's writers get
/// SQLITE_BUSY from the engine. Short faults are ridden out by the retry behaviour; long ones end in a clean, retryable 503
/// with nothing half-written, and the client's retry with the same Idempotency-Key files the dossier exactly once.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class TransientFaultTests(ApiFactory api)
{
    private HttpClient ImpatientNode(out IAsyncDisposable host, CapturedLogs? logs = null, string busyTimeout = "00:00:00.200")
    {
        // A second API node on the same database with a short busy timeout (no workers: the main host runs those).
        var factory = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("Database:BusyTimeout", busyTimeout);
            b.UseSetting("Jobs:Server", "false");
            if (logs is not null) b.ConfigureServices(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));   // this node's lines only
        });
        host = factory;
        return factory.CreateClient();
    }

    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        _ = api.Services;
        var connection = new SqliteConnection($"Data Source={api.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, "BEGIN IMMEDIATE");   // the RESERVED lock: every other writer gets SQLITE_BUSY
        return connection;
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, ADossier dossier, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dossiers") { Content = System.Net.Http.Json.JsonContent.Create(dossier.Body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_write_lock_held_elsewhere_for_a_moment_is_ridden_out_by_retries()
    {
        // A 1 s busy timeout and 3 retries: the lock is released as soon as the node reports its first retry, which leaves
        // the remaining attempts (3 s and more) to succeed in.
        var logs = new CapturedLogs();
        var client = ImpatientNode(out var host, logs, busyTimeout: "00:00:01");
        await using (host)
        {
            var dossier = ADossier.Valid();
            await using var blocker = await HoldWriteLockAsync();
            var released = Task.Run(async () =>
            {
                await Eventually.ReturnsAsync(() => Task.FromResult(logs.Lines.Count(l => l.Contains("Transient database fault", StringComparison.Ordinal))),
                    retries => retries >= 1, TimeSpan.FromMinutes(1), "the node to meet the lock and retry");
                await Dapper.SqlMapper.ExecuteAsync(blocker, "ROLLBACK");
            });
            using var response = await SubmitAsync(client, dossier, Guid.NewGuid().ToString("N"));
            await released;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_long_fault_answers_a_retryable_503_leaves_nothing_half_written_and_the_retry_files_once()
    {
        var client = ImpatientNode(out var host);
        await using (host)
        {
            var dossier = ADossier.Valid();
            var key = Guid.NewGuid().ToString("N");
            const string Counts = """
                SELECT (SELECT COUNT(*) FROM dossier) || '/' || (SELECT COUNT(*) FROM dossier_event) || '/' || (SELECT COUNT(*) FROM workflow_step)
                    || '/' || (SELECT COUNT(*) FROM integration_event) || '/' || (SELECT COUNT(*) FROM idempotency_record)
                """;
            await using (var blocker = await HoldWriteLockAsync())
            {
                var before = await Dapper.SqlMapper.ExecuteScalarAsync<string>(blocker, Counts);
                using var refused = await SubmitAsync(client, dossier, key);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("2", refused.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var problem = await refused.ReadJsonAsync();
                Assert.EndsWith("/busy", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.Equal(before, await Dapper.SqlMapper.ExecuteScalarAsync<string>(blocker, Counts));
                await Dapper.SqlMapper.ExecuteAsync(blocker, "ROLLBACK");
            }

            using var first = await SubmitAsync(client, dossier, key);
            using var again = await SubmitAsync(client, dossier, key);
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
            var code = (await first.ReadJsonAsync()).GetProperty("code").GetString();
            Assert.Equal(code, (await again.ReadJsonAsync()).GetProperty("code").GetString());
            Assert.Equal(1, await api.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_record WHERE idem_key = @Key", new { Key = key }));
        }
    }

    [Fact]
    public void Only_busy_and_locked_database_errors_are_retried()
    {
        Assert.True(TransientFaults.IsTransient(new SqliteException("database is locked", 5)));
        Assert.True(TransientFaults.IsTransient(new SqliteException("database table is locked", 6)));
        Assert.True(TransientFaults.IsTransient(new DatabaseBusyException("queue")));
        Assert.True(TransientFaults.IsTransient(new InvalidOperationException("wrapped", new SqliteException("busy", 5))));
        Assert.False(TransientFaults.IsTransient(new SqliteException("UNIQUE constraint failed", 19)));
        Assert.False(TransientFaults.IsTransient(new InvalidOperationException("a bug")));
    }
}
