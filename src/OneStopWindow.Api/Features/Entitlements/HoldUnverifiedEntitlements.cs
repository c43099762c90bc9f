using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>The system's step: hold the payment of beneficiaries whose re-verification has been open too long.</summary>
public sealed record HoldUnverifiedEntitlements : ICommand<int>;

/// <summary>
/// Re-verification left open longer than <see cref="RegisterOptions.ReverificationSuspendAfterMonths"/> suspends (issue 18):
/// every Active entitlement of an imported beneficiary whose re-verification entry was opened that many months ago or
/// earlier and is still open is suspended through the entitlement engine, role <c>system</c>, reason
/// <c>reverification</c> — the months held are owed, paid as arrears when the re-verification is resolved (issue 19).
/// Resolving it resumes these holds (<see cref="ResumeAfterReverificationAsync"/>, role <c>system</c> again); a hold
/// placed by staff stays for staff to lift. Reads time from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class HoldUnverifiedEntitlementsHandler(Db db, TimeProvider clock, IOptions<RegisterOptions> options)
    : ICommandHandler<HoldUnverifiedEntitlements, int>
{
    public const string Step = "reverification-overdue";
    private static readonly EntitlementActor Actor = EntitlementActor.System(Step);

    public async ValueTask<int> Handle(HoldUnverifiedEntitlements cmd, CancellationToken ct)
    {
        var months = options.Value.ReverificationSuspendAfterMonths;
        var cutoff = clock.GetUtcNow().AddMonths(-months);
        var reason = EntitlementRules.Suspension("reverification")!;
        var held = 0;
        // Keyset pages of Batch, each entitlement in its own short write: the single writer is never held for long.
        for (var after = Guid.Empty; ;)
        {
            var due = await db.QueryAsync<(Guid Id, int Version, string Status)>(db.Dialect.Limit(Sql.Due),
                new { Cutoff = cutoff, Limit = options.Value.Batch, Active = nameof(EntitlementStatus.Active), After = after }, ct);
            if (due.Count == 0) return held;
            after = due[^1].Id;
            held += await HoldAsync(due, reason, months, ct);
        }
    }

    private async Task<int> HoldAsync(IReadOnlyList<(Guid Id, int Version, string Status)> due, SuspensionReason reason, int months, CancellationToken ct)
    {
        var held = 0;
        foreach (var (id, version, status) in due)
        {
            await using var tx = await db.BeginWriteAsync(ct);
            var now = clock.GetUtcNow();
            var change = new EntitlementChange(Months.Format(Months.First(Domain.Calendar.Appointment.DateInVietnam(now))), reason.Code, reason.Owed,
                $"Xác minh lại quá {months} tháng chưa có kết quả: tạm dừng chi trả; các tháng tạm dừng vẫn được truy lĩnh khi xác minh xong.")
            {
                UpdateSql = SuspendEntitlementHandler.Sql.Suspend,
                UpdateArgs = new { Reason = reason.Code },
            };
            // Changed since it was read (resumed, ended, transferred): the engine's guard leaves it alone.
            if (await EntitlementTransitions.ApplyAsync(tx, new(id, version, Enum.Parse<EntitlementStatus>(status)), EntitlementAction.Suspend, Actor,
                    change, now) != EntitlementOutcome.Applied) continue;
            await tx.CommitAsync();
            held++;
        }
        return held;
    }

    /// <summary>
    /// The re-verification of <paramref name="beneficiaryId"/> is resolved: the holds the system placed for it are lifted,
    /// in the resolution's transaction; the history row records the held months as owed (their arrears are issue 19's).
    /// </summary>
    public static async Task<int> ResumeAfterReverificationAsync(DbWrite tx, Guid beneficiaryId, string resolution, DateTimeOffset now)
    {
        var held = await tx.QueryAsync<(Guid Id, int Version)>(Sql.HeldBySystem, new
        {
            Id = beneficiaryId,
            Suspended = nameof(EntitlementStatus.Suspended),
            Actor = Actor.Id,
        });
        var resumed = 0;
        foreach (var (id, version) in held)
        {
            var change = new EntitlementChange(Months.Format(Months.First(Domain.Calendar.Appointment.DateInVietnam(now))), "reverification", true,
                resolution.Length > 1000 ? resolution[..1000] : resolution)
            {
                UpdateSql = ResumeEntitlementHandler.Sql.Resume,
            };
            if (await EntitlementTransitions.ApplyAsync(tx, new(id, version, EntitlementStatus.Suspended), EntitlementAction.Resume, Actor, change, now)
                == EntitlementOutcome.Applied) resumed++;
        }
        return resumed;
    }

    internal static class Sql
    {
        public const string Due = """
            SELECT DISTINCT e.id, e.version, e.status FROM reverification r
            JOIN entitlement e ON e.beneficiary_id = r.subject_id
            WHERE r.subject_kind = 'beneficiary' AND r.status = 'open' AND r.created_at <= @Cutoff AND e.status = @Active AND e.id > @After
            ORDER BY e.id
            """;
        // Suspended for re-verification, and the latest suspension is the system's own (a staff hold stays for staff).
        public const string HeldBySystem = """
            SELECT e.id, e.version FROM entitlement e
            WHERE e.beneficiary_id = @Id AND e.status = @Suspended AND e.suspension_reason = 'reverification'
              AND (SELECT MAX(ev.occurred_at) FROM entitlement_event ev WHERE ev.entitlement_id = e.id AND ev.kind = 'Suspended')
                = (SELECT MAX(ev.occurred_at) FROM entitlement_event ev WHERE ev.entitlement_id = e.id AND ev.kind = 'Suspended' AND ev.actor = @Actor)
            """;
    }
}

public sealed class HoldUnverifiedEntitlementsJob(IMediator mediator)
{
    public const string RecurringId = "hold-unverified-entitlements";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task Run(CancellationToken ct) => await mediator.Send(new HoldUnverifiedEntitlements(), ct);
}

/// <summary>The hold of long-unverified entitlements, on the cron of <see cref="RegisterOptions.Cron"/>.</summary>
public sealed class HoldUnverifiedSchedule(IOptions<RegisterOptions> options) : Infrastructure.Jobs.IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs) =>
        recurring.AddOrUpdate<HoldUnverifiedEntitlementsJob>(HoldUnverifiedEntitlementsJob.RecurringId, j => j.Run(CancellationToken.None), options.Value.Cron);
}
