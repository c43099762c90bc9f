using Hangfire;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Jobs;

namespace OneStopWindow.Api.Features.Documents;

/// <summary>
/// Deletes what uploads left behind: temporary files (a process that died while streaming) and stored files that no
/// row names (a process that died, or a commit that failed, after the file was placed — see
/// <see cref="UploadDocumentHandler"/>). Only files older than <see cref="OrphanAge"/> are touched, far longer than an
/// upload takes from its first byte to its commit, so work in flight is never swept.
/// </summary>
public sealed class SweepDocumentsJob(Db db, IDocumentStore store, TimeProvider clock, ILogger<SweepDocumentsJob> logger)
{
    public const string RecurringId = "sweep-documents";

    public static readonly TimeSpan OrphanAge = TimeSpan.FromHours(1);

    /// <summary>Ids per query (SQL Server takes at most 2,100 parameters).</summary>
    private const int Batch = 500;

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task<int> Run(CancellationToken ct)
    {
        var before = clock.GetUtcNow() - OrphanAge;
        var removed = 0;
        var stored = new List<(StoreEntry Entry, Guid Id)>();
        foreach (var entry in store.Entries())
        {
            if (entry.WrittenAt >= before) continue;
            if (entry.Key is null)
            {
                store.Delete(entry);
                removed++;
            }
            else if (Guid.TryParseExact(entry.Key[(entry.Key.IndexOf('/', StringComparison.Ordinal) + 1)..], "N", out var id))
            {
                stored.Add((entry, id));
                if (stored.Count == Batch) removed += await SweepStoredAsync(stored, ct);
            }
        }
        removed += await SweepStoredAsync(stored, ct);
        if (removed > 0) logger.LogInformation("Removed {Count} document files that no upload finished", removed);
        return removed;
    }

    /// <summary>Deletes the batch's files whose row does not exist (or names another key), then empties the batch.</summary>
    private async Task<int> SweepStoredAsync(List<(StoreEntry Entry, Guid Id)> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        // Dapper expands a list without the Guid type handler (SQLite would get blobs and match nothing, and every file
        // would look unreferenced), so the ids go as text: SQLite's stored form, and converted to the column's type by SQL Server.
        var ids = batch.Select(b => b.Id.ToString("D")).ToList();
        var referenced = (await db.QueryAsync<string>(Sql.Referenced, new { Ids = ids }, ct)).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var (entry, _) in batch.Where(b => !referenced.Contains(b.Entry.Key!)))
        {
            store.Delete(entry);
            removed++;
        }
        batch.Clear();
        return removed;
    }

    internal static class Sql
    {
        public const string Referenced = "SELECT storage_key FROM dossier_document WHERE id IN @Ids";
    }
}

public sealed class DocumentSweepSchedule : IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs) =>
        recurring.AddOrUpdate<SweepDocumentsJob>(SweepDocumentsJob.RecurringId, j => j.Run(CancellationToken.None), Cron.Daily(4));
}
