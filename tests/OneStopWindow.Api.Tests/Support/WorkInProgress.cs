using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>
/// Crash tests kill a process while work is provably in progress — by construction, not by timing. The SQLite write lock,
/// taken from the test process, freezes every writer of the service: what the test reads under it is still true at the
/// moment of the kill.
/// </summary>
public static class WorkInProgress
{
    /// <summary>Takes the database's write lock (BEGIN IMMEDIATE) from another connection; dispose to release it.</summary>
    public static async Task<SqliteConnection> HoldWriteLockAsync(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Default Timeout=60");
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, "PRAGMA busy_timeout = 60000; BEGIN IMMEDIATE");
        return connection;
    }

    /// <summary>Workflow steps not yet done (pending, of which claimed by a run), as seen by the holder of the write lock.</summary>
    public sealed record Steps(long Outstanding, long Claimed);

    /// <summary>
    /// Kills <paramref name="worker"/> at a moment when at least one workflow step is pending or claimed, observed in the
    /// database under the write lock (so no step can complete between the look and the kill). Looks again every 20 ms
    /// until <paramref name="within"/> has passed, then fails. <paramref name="beforeKill"/> runs just before the kill (e.g.
    /// to tell a load that failures are expected now).
    /// </summary>
    public static async Task<Steps> KillWhileStepsOutstandingAsync(ServiceProcess worker, string databasePath, TimeSpan within, Action? beforeKill = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            await using (var locked = await HoldWriteLockAsync(databasePath))
            {
                var steps = await Dapper.SqlMapper.QuerySingleAsync<Steps>(locked,
                    "SELECT COUNT(*) AS Outstanding, COUNT(claim) AS Claimed FROM workflow_step WHERE status <> 'done'");
                if (steps.Outstanding > 0)
                {
                    beforeKill?.Invoke();
                    worker.KillHard();
                    return steps;
                }
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no workflow step was ever outstanding within {within}");
            await Task.Delay(20);
        }
    }
}

/// <summary>
/// Clients submitting one dossier after another (bounded by a count) until stopped. Stopping lets each client finish the
/// request it has on the wire, so every dossier the service stored was acknowledged — unless the service was killed.
/// </summary>
public sealed class SubmissionLoad
{
    private readonly ConcurrentQueue<Receipt> receipts = new();
    private readonly List<Task> clients;
    private volatile bool stopping;
    private int started;

    private SubmissionLoad(Func<int, HttpClient> node, int clientCount, int maxDossiers) =>
        clients = Enumerable.Range(0, clientCount).Select(_ => Task.Run(async () =>
        {
            int n;
            while (!stopping && (n = Interlocked.Increment(ref started)) <= maxDossiers)
            {
                try { receipts.Enqueue(await ADossier.Valid().SubmitAsync(node(n))); }
                catch (Exception) when (stopping) { return; }   // the service was killed under this request
            }
        })).ToList();

    public static SubmissionLoad Start(Func<int, HttpClient> node, int clients, int maxDossiers) => new(node, clients, maxDossiers);

    public IReadOnlyList<Receipt> Receipts => [.. receipts];

    public int Count => receipts.Count;

    /// <summary>No new submissions; a request cut off from now on (the service killed under it) is not an error.</summary>
    public void Stop() => stopping = true;

    public async Task<IReadOnlyList<Receipt>> StopAsync()
    {
        Stop();
        await Task.WhenAll(clients);
        return Receipts;
    }
}

/// <summary>
/// A JSON body sent in two halves: the first at once, the second only after <see cref="Release"/>. Until then the request
/// is provably in flight — sent and unanswerable, because the server cannot bind a body it does not have.
/// </summary>
public sealed class HeldJsonContent : HttpContent
{
    private readonly byte[] bytes;
    private readonly TaskCompletionSource halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldJsonContent(JsonNode body)
    {
        bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    /// <summary>Completes when the headers and the first half of the body have been flushed to the connection.</summary>
    public Task HalfSent => halfSent.Task;

    public void Release() => released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        var half = bytes.Length / 2;
        await stream.WriteAsync(bytes.AsMemory(0, half));
        await stream.FlushAsync();
        halfSent.TrySetResult();
        await released.Task;
        await stream.WriteAsync(bytes.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return true;
    }
}
