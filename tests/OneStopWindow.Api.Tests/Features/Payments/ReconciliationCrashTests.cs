using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Payments;

/// <summary>
/// Kill -9 of the real executable while the payer's result file is being applied (issue 19, proof "kill -9 during
/// reconciliation"): after a restart the file is applied wholly or not at all — here provably not at all, since the kill
/// lands inside the open transaction — and sending it again applies every line exactly once.
/// </summary>
public sealed class ReconciliationCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Lines = 20_000;   // enough that the one transaction spills its pages to the WAL before it commits
    private const string Ward = "09106";
    private readonly string folder = Directory.CreateTempSubdirectory("osw-recon-crash-").FullName;
    private string Db => Path.Combine(folder, "app.db");

    private Dictionary<string, string> Settings() => new()
    {
        ["Database:ConnectionString"] = $"Data Source={Db}",
        ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
        ["Jobs:Server"] = "false",   // no job writes: the upload is the only writer, so what the WAL holds is its own
    };

    /// <summary>
    /// The kill lands by construction, not by timing: the process is frozen (SIGSTOP) and, while frozen, the database shows
    /// the transaction open — the WAL has grown by frames no commit has published (a fresh reader still sees no result on
    /// the list) and the write lock is held. A frozen process commits nothing, so that is its state at the SIGKILL. If the
    /// look finds otherwise, the process is let go on (SIGCONT) and looked at again, until a deadline.
    /// </summary>
    [Fact]
    public async Task A_kill_during_the_results_transaction_applies_nothing_and_the_same_file_sent_again_applies_every_line_once()
    {
        var (listId, file) = await SeedApprovedListAsync();
        string result;
        await using (var first = await ServiceProcess.StartAsync(folder, Settings()))
        {
            using var officer = Officer(first);
            var walBefore = await CheckpointAsync();
            var upload = PostAsync(officer, listId, file);
            var deadline = DateTime.UtcNow.AddMinutes(2);
            var looks = 0;
            while (true)
            {
                if (upload.IsCompleted) throw new InvalidOperationException($"the upload finished before it was seen in progress: {await upload}");
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the results transaction was never seen in progress");
                first.Freeze(true);
                looks++;
                var (wal, committed) = await WalAsync();
                if (wal > committed && await ResultsAsync(listId) == 0 && await WriteLockHeldAsync())
                {
                    output.WriteLine($"killed after {looks} looks: WAL {walBefore} → {wal} bytes of which {committed} committed, no result committed, write lock held");
                    first.KillHard();
                    break;
                }
                first.Freeze(false);
                await Task.Delay(5);
            }
            result = (await Assert.ThrowsAnyAsync<Exception>(() => upload)).GetType().Name;   // cut off with the process
        }
        output.WriteLine($"the client saw {result}");
        SqliteConnection.ClearAllPools();
        Assert.Equal(0, await ResultsAsync(listId));   // none of it
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM payment_line_month WHERE released = 1"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM integration_event WHERE payment_line_id IS NOT NULL"));

        await using var restarted = await ServiceProcess.StartAsync(folder, Settings());
        using var officerAgain = Officer(restarted);
        using (var again = await PostAsync(officerAgain, listId, file))
        {
            var json = await again.ReadJsonAsync();
            Assert.True(again.StatusCode == HttpStatusCode.OK, json.ToString());
            Assert.Equal(Lines, json.GetProperty("applied").GetInt32());
            Assert.Equal(0, json.GetProperty("errors").GetInt32());
        }
        Assert.Equal(Lines, await ResultsAsync(listId));
        Assert.Equal(Lines / 2, await ScalarAsync("SELECT COUNT(*) FROM payment_line_month WHERE released = 1"));   // the failed half
        Assert.Equal(Lines, await ScalarAsync("SELECT COUNT(DISTINCT payment_line_id) FROM integration_event WHERE payment_line_id IS NOT NULL"));
        Assert.Equal(Lines, await ScalarAsync("SELECT COUNT(*) FROM integration_event WHERE payment_line_id IS NOT NULL"));
        using (var third = await PostAsync(officerAgain, listId, file))
            Assert.Equal(Lines, (await third.ReadJsonAsync()).GetProperty("unchanged").GetInt32());
        Assert.Equal(Lines, await ScalarAsync("SELECT COUNT(*) FROM integration_event WHERE payment_line_id IS NOT NULL"));
    }

    /// <summary>
    /// Migrates through the executable, then writes an approved list of <see cref="Lines"/> lines as generation and approval
    /// leave one (straight in the database: 20,000 beneficiaries through the API would take minutes; generation has its own
    /// tests), and the payer's file for it — every other line failed.
    /// </summary>
    private async Task<(string ListId, byte[] File)> SeedApprovedListAsync()
    {
        await using (var migrate = await ServiceProcess.StartAsync(folder, Settings())) { }
        SqliteConnection.ClearAllPools();
        var listId = Guid.NewGuid().ToString();
        const string Month = "2026-11";
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var csv = new StringBuilder("line_id,full_name,amount_vnd,period_from,period_to,result\r\n");
        await using var connection = new SqliteConnection($"Data Source={Db}");
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, """
            INSERT INTO payment_list (id, ward_code, month, status, generated_at, approved_by, approved_at, version, line_count, total_vnd)
            VALUES (@Id, @Ward, @Month, 'Approved', @Now, 'chair', @Now, 2, @Count, @Total)
            """, new { Id = listId, Ward, Month, Now = now, Count = Lines, Total = Lines * 500_000L }, tx);
        var lines = Enumerable.Range(0, Lines).Select(i => new
        {
            Id = Guid.NewGuid().ToString(),
            List = listId,
            Name = "Người hưởng " + i.ToString(CultureInfo.InvariantCulture),
            Month,
            Result = i % 2 == 0 ? "paid" : "failed",
        }).ToList();
        await Dapper.SqlMapper.ExecuteAsync(connection, """
            INSERT INTO payment_line (id, list_id, kind, entitlement_id, payable_id, beneficiary_id, person_dossier_id, full_name, method, payment_method_id,
                account_last4, amount_vnd, period_from, period_to, result, result_at)
            VALUES (@Id, @List, 'regular', NULL, NULL, NULL, NULL, @Name, 'post-office-cash', NULL, NULL, 500000, @Month, @Month, NULL, NULL)
            """, lines, tx);
        await Dapper.SqlMapper.ExecuteAsync(connection, """
            INSERT INTO payment_line_month (line_id, entitlement_id, payable_id, month, amount_vnd, released) VALUES (@Id, NULL, NULL, @Month, 500000, 0)
            """, lines, tx);
        await tx.CommitAsync();
        foreach (var l in lines) csv.Append(CultureInfo.InvariantCulture, $"{l.Id},{l.Name},500000,{l.Month},{l.Month},{l.Result}\r\n");
        return (listId, Encoding.UTF8.GetBytes(csv.ToString()));
    }

    /// <summary>A provincial officer's client; a frozen process answers nothing while the test looks, hence the long timeout.</summary>
    private static HttpClient Officer(ServiceProcess service)
    {
        var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            TokenCommand.Mint(new AuthOptions(), "provincial-officer", null, null, null, null, TimeSpan.FromHours(1)));
        return client;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string listId, byte[] file)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return client.PostAsync($"/api/v1/payment-lists/{listId}/results", content);
    }

    /// <summary>Empties the WAL into the database (the service is idle) and answers its size now.</summary>
    private async Task<long> CheckpointAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Db};Pooling=False");
        await connection.OpenAsync();
        await Dapper.SqlMapper.QueryAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        return WalBytes();
    }

    /// <summary>
    /// The WAL's size, and how much of it holds committed frames (the header and the frames a reader's snapshot counts, as
    /// a passive checkpoint reports them). More on disk than committed: a writer has spilled pages of a transaction still open
    /// (the WAL was emptied before, so no older frames lie beyond).
    /// </summary>
    private async Task<(long Bytes, long Committed)> WalAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Db};Pooling=False");
        await connection.OpenAsync();
        var page = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "PRAGMA page_size");
        var (_, frames, _) = await Dapper.SqlMapper.QuerySingleAsync<(long, long, long)>(connection, "PRAGMA wal_checkpoint(PASSIVE)");
        var bytes = WalBytes();
        return (bytes, frames <= 0 ? 0 : 32 + frames * (page + 24));
    }

    private long WalBytes() => new FileInfo(Db + "-wal") is { Exists: true } f ? f.Length : 0;

    /// <summary>Lines of the list with a result, as a fresh reader sees the committed database.</summary>
    private Task<long> ResultsAsync(string listId) =>
        ScalarAsync("SELECT COUNT(*) FROM payment_line WHERE list_id = @Id AND result IS NOT NULL", new { Id = listId });

    private async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var connection = new SqliteConnection($"Data Source={Db};Pooling=False");
        await connection.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql, args);
    }

    /// <summary>Whether another connection holds the write lock: BEGIN IMMEDIATE gives up busy after a second.</summary>
    private async Task<bool> WriteLockHeldAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Db};Pooling=False;Default Timeout=1");
        await connection.OpenAsync();
        try
        {
            // One statement per command: after a PRAGMA in the same command text the library reported no busy at all.
            await Dapper.SqlMapper.ExecuteAsync(connection, "BEGIN IMMEDIATE");
            await Dapper.SqlMapper.ExecuteAsync(connection, "ROLLBACK");
            return false;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return true;
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
