using System.ComponentModel.DataAnnotations;
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

public sealed class SlaOptions
{
    public const string Section = "Sla";

    [Required]
    public string Cron { get; set; } = "*/5 * * * *";

    /// <summary>Working days added to the appointment by the apology letter (Form 04). The new date may be set once.</summary>
    [Range(1, 60)]
    public int ApologyExtensionWorkingDays { get; set; } = 5;

    [Range(1, 100_000)]
    public int Batch { get; set; } = 500;
}

public sealed record WatchDeadlines : ICommand<int>;

/// <summary>
/// The working-day clock (Decree 61/118 on late results): warns the officer one working day before the
/// appointment, marks the dossier overdue when the date passes, records the apology letter (Form 04) with a
/// new appointment date — once — tells the citizen, and escalates the dossier to the provincial officers.
/// Reads time from the injected <see cref="TimeProvider"/>; supplement waits (clock paused) are skipped.
/// </summary>
public sealed class WatchDeadlinesHandler(Db db, TimeProvider clock, WorkingCalendarProvider calendars, DossierTransitions transitions,
    WorkflowSignal workflow, IOptions<SlaOptions> options) : ICommandHandler<WatchDeadlines, int>
{
    public async ValueTask<int> Handle(WatchDeadlines cmd, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DossierViews.Today(clock);
        var calendar = await calendars.GetAsync(ct);
        // Anything due within two calendar weeks may be one working day away (Tết); the rule below decides.
        var candidates = await db.QueryAsync<DossierRow>(db.Dialect.Limit(Sql.Candidates), new { Horizon = today.AddDays(14), Limit = options.Value.Batch, Watched = Watched }, ct);
        var horizon = Deadline.Horizon.On(today, calendar);
        var changed = 0;
        foreach (var d in candidates)
        {
            // Overdue by its date (the mark itself is what this step records); at risk once, never after the mark.
            var overdue = Deadline.IsOverdue(d.DeadlineFacts with { MarkedOverdue = false }, horizon);
            var atRisk = !overdue && d.AtRiskAt is null && Deadline.IsAtRisk(d.DeadlineFacts, horizon);
            if (!overdue && !atRisk) continue;
            if (overdue && d.OverdueSince is not null && (d.Rescheduled || d.EscalatedAt is not null)) continue;

            await using var tx = await db.BeginWriteAsync(ct);
            now = clock.GetUtcNow();   // taken holding the writer's turn, so the timeline's times follow the order of commits
            var subject = new TransitionSubject(d.Id, d.Version, d.State, d.Target);
            ActionPlan plan;
            if (atRisk)
            {
                plan = new ActionPlan("AtRisk", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Còn không quá {Deadline.AtRiskWithinWorkingDays} ngày làm việc đến hạn {Templates.Date(d.AppointmentDate)}."))
                {
                    UpdateSql = Sql.MarkAtRisk,
                    Notify = ["at-risk"],
                    NotifyValues = new Dictionary<string, string> { ["appointment"] = Templates.Date(d.AppointmentDate) },
                    NotifyAudience = "staff",
                };
            }
            else
            {
                var newDate = d.Rescheduled ? d.AppointmentDate : calendar.AddWorkingDays(today, options.Value.ApologyExtensionWorkingDays);
                var also = new List<(string, string)>();
                if (!d.Rescheduled) also.Add(("ApologyIssued", $"Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): ngày hẹn mới {Templates.Date(newDate)}."));
                also.Add(("Escalated", "Chuyển cán bộ cấp tỉnh theo dõi, đôn đốc."));
                plan = new ActionPlan("Overdue", $"Quá hạn hẹn trả kết quả {Templates.Date(d.AppointmentDate)}.")
                {
                    UpdateSql = Sql.MarkOverdue,
                    UpdateArgs = new { Appointment = newDate },
                    AlsoRecorded = also,
                    Notify = d.Rescheduled ? [] : ["overdue-apology"],
                    NotifyValues = new Dictionary<string, string> { ["newDate"] = Templates.Date(newDate) },
                };
            }
            // Status unchanged, but still a transition of the table: a dossier decided or withdrawn since it was read is left alone.
            if (await transitions.ApplyAsync(tx, subject, atRisk ? DossierAction.MarkAtRisk : DossierAction.MarkOverdue,
                    TransitionActor.System("sla"), plan, now) != TransitionOutcome.Applied) continue;
            await tx.CommitAsync();
            workflow.StepsWritten();
            changed++;
        }
        return changed;
    }

    /// <summary>The statuses the deadline marks may be taken from: the table's, not a second list.</summary>
    private static readonly List<string> Watched = DossierRules.For(DossierAction.MarkOverdue).From.Select(x => x.ToString()).ToList();

    internal static class Sql
    {
        public const string Candidates = DossierAccess.Sql.SelectColumns + """

            WHERE status IN @Watched
              AND clock_paused_at IS NULL AND appointment_date <= @Horizon
              AND (at_risk_at IS NULL OR overdue_since IS NULL OR escalated_at IS NULL)
            ORDER BY appointment_date
            """;
        public const string MarkAtRisk = """
            UPDATE dossier SET at_risk_at = @Now, version = version + 1, updated_at = @Now WHERE id = @Id AND version = @Version
            """;
        public const string MarkOverdue = """
            UPDATE dossier SET overdue_since = COALESCE(overdue_since, @Now), rescheduled = 1, appointment_date = @Appointment,
                escalated_at = COALESCE(escalated_at, @Now), at_risk_at = COALESCE(at_risk_at, @Now), version = version + 1, updated_at = @Now
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
