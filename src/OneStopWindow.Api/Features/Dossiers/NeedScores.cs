using Hangfire;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers;

/// <summary>
/// The stored need score (<c>dossier.need_score</c>, <see cref="Priority.NeedSql"/>) of open dossiers, kept true when
/// what it depends on changes outside the dossier's own writes: a ward's zone recorded (in that transaction), and the
/// weights themselves, which change with a release (once when a worker starts). Routing and ward assignment set it in
/// their own UPDATE.
/// </summary>
public static class NeedScores
{
    public static Task<int> RefreshWardAsync(DbWrite tx, string wardCode) => tx.ExecuteAsync(Sql.RefreshWard, new { Ward = wardCode });

    internal static class Sql
    {
        public static readonly string RefreshWard = $"""
            UPDATE dossier SET need_score = {Priority.NeedSql}
            WHERE handling_ward_code = @Ward AND {Deadline.Sql.Open}
            """;

        // Only rows whose score differs are written, so a start with unchanged weights writes nothing.
        public static readonly string RefreshStale = $"""
            UPDATE dossier SET need_score = {Priority.NeedSql}
            WHERE {Deadline.Sql.Open} AND need_score <> {Priority.NeedSql}
            """;
    }
}

/// <summary>Once when a worker starts: scores stored under the previous release's weights (or before the column existed) are redone.</summary>
public sealed class RefreshNeedScoresJob(Db db, ILogger<RefreshNeedScoresJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Refresh need scores")]
    public async Task Run(CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var changed = await tx.ExecuteAsync(NeedScores.Sql.RefreshStale);
        await tx.CommitAsync();
        if (changed > 0) logger.LogInformation("Need scores refreshed for {Count} open dossiers", changed);
    }
}

public sealed class NeedScoreSchedule : Infrastructure.Jobs.IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs) => jobs.Enqueue<RefreshNeedScoresJob>(j => j.Run(CancellationToken.None));
}
