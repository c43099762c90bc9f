using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Workflow;

public sealed record WatchDeadlines : ICommand<int>;

/// <summary>
/// The working-day clock: warns the handling officer <see cref="SlaOptions.AtRiskWorkingDays"/> working days before the
/// appointment, and when the date passes — with no delay notice, or after the date a notice set — marks the dossier
/// overdue and escalates it to the provincial officers. The apology and new date (Form 04) are the officer's act, due
/// one working day before the deadline (Decree 61/2018, carried into Decree 118/2025; DOMAIN.md §1.7, §10 item 4): the
/// watch never writes a letter or sets a date. Reads time from the injected <see cref="TimeProvider"/>; supplement
/// waits (clock paused) are skipped.
/// </summary>
public sealed class WatchDeadlinesHandler(Db db, TimeProvider clock, WorkingCalendarProvider calendars, DossierTransitions transitions,
    WorkflowSignal workflow, IOptions<SlaOptions> options) : ICommandHandler<WatchDeadlines, int>
{
    public async ValueTask<int> Handle(WatchDeadlines cmd, CancellationToken ct)
    {
        var today = DossierViews.Today(clock);
        var calendar = await calendars.GetAsync(ct);
        var horizon = Deadline.Horizon.On(today, calendar, options.Value.AtRiskWorkingDays);
        var candidates = await db.QueryAsync<DossierRow>(db.Dialect.Limit(Sql.Candidates),
            new { horizon.Today, horizon.RiskDate, EscalateBy = DelayNotice.EscalateDueBy(today, calendar), Limit = options.Value.Batch, Watched = Watched }, ct);
        var changed = 0;
        foreach (var d in candidates)
        {
            // Overdue by its date (the mark itself is what this step records); at risk once per date, never after the mark.
            var overdue = Deadline.IsOverdue(d.DeadlineFacts with { MarkedOverdue = false }, horizon);
            var atRisk = !overdue && d.AtRiskAt is null && Deadline.IsAtRisk(d.DeadlineFacts, horizon);
            // The last day for the officer's notice has passed without one: the province is told before the deadline, not after.
            var unnoticed = !overdue && d.EscalatedAt is null && !d.Rescheduled
                && DelayNotice.MayRecord(false, false, d.AppointmentDate, horizon.Today, calendar) == DelayNotice.Verdict.TooLate;
            if (!overdue && !atRisk && !unnoticed) continue;
            if (overdue && d.OverdueSince is not null && d.EscalatedAt is not null) continue;

            await using var tx = await db.BeginWriteAsync(ct);
            var now = clock.GetUtcNow();   // taken holding the writer's turn, so the timeline's times follow the order of commits
            var subject = new TransitionSubject(d.Id, d.Version, d.State, d.Target);
            var (action, plan) = overdue ? (DossierAction.MarkOverdue, OverduePlan(d))
                : unnoticed ? (DossierAction.EscalateWithoutNotice, UnnoticedPlan(d))
                : (DossierAction.MarkAtRisk, AtRiskPlan(d, horizon, calendar));
            // Status unchanged, but still a transition of the table: a dossier decided or withdrawn since it was read is left alone.
            if (await transitions.ApplyAsync(tx, subject, action, TransitionActor.System("sla"), plan, now) != TransitionOutcome.Applied) continue;
            await tx.CommitAsync();
            workflow.StepsWritten();
            changed++;
        }
        return changed;
    }

    private static ActionPlan AtRiskPlan(DossierRow d, Deadline.Horizon horizon, Domain.Calendar.WorkingCalendar calendar)
    {
        var due = Templates.Date(d.AppointmentDate);
        var lastDay = Templates.Date(DelayNotice.LastDay(d.AppointmentDate, calendar));
        // What the officer can still do: send the delay notice in time; a date already moved once cannot move again.
        var advice = DelayNotice.MayRecord(d.Rescheduled, false, d.AppointmentDate, horizon.Today, calendar) switch
        {
            DelayNotice.Verdict.AlreadyGiven => "Ngày hẹn đã được hẹn lại một lần, không thể hẹn lại nữa.",
            DelayNotice.Verdict.TooLate => $"Đã qua thời hạn gửi phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04), chậm nhất ngày {lastDay}.",
            _ => $"Nếu không kịp, gửi phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) chậm nhất ngày {lastDay}.",
        };
        return new ActionPlan("AtRisk", string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Còn không quá {horizon.AtRiskWorkingDays} ngày làm việc đến hạn {due}. {advice}"))
        {
            UpdateSql = Sql.MarkAtRisk,
            Notify = ["at-risk"],
            NotifyValues = new Dictionary<string, string>
            {
                ["appointment"] = due,
                ["days"] = horizon.AtRiskWorkingDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["advice"] = advice,
            },
            NotifyAudience = "staff",
        };
    }

    private static ActionPlan OverduePlan(DossierRow d) =>
        new("Overdue", d.Rescheduled
            ? $"Quá ngày hẹn trả kết quả đã hẹn lại {Templates.Date(d.AppointmentDate)}."
            : $"Quá hạn hẹn trả kết quả {Templates.Date(d.AppointmentDate)} mà chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04).")
        {
            UpdateSql = Sql.MarkOverdue,
            AlsoRecorded = d.EscalatedAt is not null ? [] : [DossierTransitions.Escalated],   // once: maybe on the deadline day
        };

    private static ActionPlan UnnoticedPlan(DossierRow d) =>
        new("Escalated", $"Đã qua thời hạn gửi phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) cho ngày hẹn {Templates.Date(d.AppointmentDate)} " +
            "mà chưa có phiếu: chuyển cán bộ cấp tỉnh theo dõi, đôn đốc.")
        {
            UpdateSql = Sql.Escalate,
        };

    /// <summary>The statuses the deadline marks may be taken from: the table's, not a second list.</summary>
    private static readonly List<string> Watched = DossierRules.For(DossierAction.MarkOverdue).From.Select(x => x.ToString()).ToList();

    internal static class Sql
    {
        // Due by the risk date, clock running, and something left to record: the warning (not yet given for this date, not
        // overdue), the escalation once no working day is left for a notice (@EscalateBy), or the overdue mark once the date has passed.
        public const string Candidates = DossierAccess.Sql.SelectColumns + """

            WHERE status IN @Watched
              AND clock_paused_at IS NULL AND appointment_date <= @RiskDate
              AND ((at_risk_at IS NULL AND overdue_since IS NULL)
                   OR (appointment_date < @Today AND (overdue_since IS NULL OR escalated_at IS NULL))
                   OR (appointment_date <= @EscalateBy AND escalated_at IS NULL AND rescheduled = 0))
            ORDER BY appointment_date
            """;
        public const string MarkAtRisk = """
            UPDATE dossier SET at_risk_at = @Now, version = version + 1, updated_at = @Now WHERE id = @Id AND version = @Version
            """;
        public const string Escalate = """
            UPDATE dossier SET escalated_at = COALESCE(escalated_at, @Now), at_risk_at = COALESCE(at_risk_at, @Now),
                version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string MarkOverdue = """
            UPDATE dossier SET overdue_since = COALESCE(overdue_since, @Now), escalated_at = COALESCE(escalated_at, @Now),
                at_risk_at = COALESCE(at_risk_at, @Now), version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}

public sealed class WatchDeadlinesJob(IMediator mediator)
{
    public const string RecurringId = "watch-deadlines";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task Run(CancellationToken ct) => await mediator.Send(new WatchDeadlines(), ct);
}

/// <summary>The deadline watch, on the cron of <see cref="SlaOptions.Cron"/>.</summary>
public sealed class DeadlineWatchSchedule(IOptions<SlaOptions> options) : Infrastructure.Jobs.IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs)
    {
        recurring.RemoveIfExists("reconcile-workflow");   // before issue 6 the workflow ran as one Hangfire job per step
        recurring.AddOrUpdate<WatchDeadlinesJob>(WatchDeadlinesJob.RecurringId, j => j.Run(CancellationToken.None), options.Value.Cron);
    }
}
