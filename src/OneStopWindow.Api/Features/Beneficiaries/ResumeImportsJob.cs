using Hangfire;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Beneficiaries;

/// <summary>Re-enqueues imports that are not finished and whose worker stopped (heartbeat stale, or every one at worker start-up).</summary>
public sealed class ResumeImportsJob(Db db, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringId = "resume-imports";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task Run(CancellationToken ct) => await ResumeAsync(afterRestart: false, ct);

    /// <summary>Enqueued once when a worker process starts: every unfinished import is resumed at once.</summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task RunAfterRestart(CancellationToken ct) => await ResumeAsync(afterRestart: true, ct);

    public async Task<int> ResumeAsync(bool afterRestart, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = await db.QueryAsync<Guid>(Sql.Stalled, new { Stale = afterRestart ? now.AddYears(100) : now.AddMinutes(-2), Queued = afterRestart ? now.AddYears(100) : now.AddSeconds(-30) }, ct);
        foreach (var id in ids) jobs.Enqueue<ImportBeneficiariesJob>(j => j.Run(id, CancellationToken.None));
        return ids.Count;
    }

    internal static class Sql
    {
        public const string Stalled = """
            SELECT id FROM beneficiary_import
            WHERE status IN ('queued', 'running') AND ((heartbeat_at IS NULL AND created_at < @Queued) OR heartbeat_at < @Stale)
            """;
    }
}
