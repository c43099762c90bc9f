using Mediator;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers;

/// <summary>
/// A promised appointment date keeps its date unless a recorded notice makes it a day off (DOMAIN.md §10 item 6; Labour
/// Code 2019 Art. 112(3)); then the date is still not moved — the applicant was given it in writing — but the handling
/// officer is asked for a delay notice (Form 04, Decree 61/2018, the one new date): the system step
/// <see cref="DossierAction.MarkDelayNoticeNeeded"/> records a staff-only <c>DelayNoticeNeeded</c> event and a staff
/// notification, and marks the dossier (<c>delay_notice_needed_for</c>), so each date is asked about once. It is a dossier
/// change (version, mark), so it goes through the transition engine like the deadline marks.
/// Found by what is true now, not by which change caused it: every open dossier with a running clock whose appointment date is
/// today or later and a non-working day of the current calendar. Run after each change on the node that made it, and hourly
/// by the calendar upkeep, which also catches a node stopped half-way and a date computed on another node's cache in its last minute.
/// Bounded: the dates are found with one indexed query per day off, and the marks are written <see cref="Batch"/> dossiers per
/// write transaction, so the single SQLite writer is never held for long.
/// </summary>
public sealed class RequestDelayNoticesHandler(Db db, TimeProvider clock, WorkingCalendarProvider calendars, DossierTransitions transitions,
    WorkflowSignal workflow, ILogger<RequestDelayNoticesHandler> logger) : INotificationHandler<WorkingCalendarChanged>
{
    public const string EventKind = "DelayNoticeNeeded";
    public const string NotificationKind = "delay-notice-needed";
    public const int Batch = 50;

    private static readonly List<string> Promised = DossierRules.For(DossierAction.MarkDelayNoticeNeeded).From.Select(s => s.ToString()).ToList();

    public async ValueTask Handle(WorkingCalendarChanged notification, CancellationToken ct)
    {
        try
        {
            var asked = await RunAsync(ct);
            if (asked > 0) logger.LogInformation("Working calendar changed: {Count} dossier(s) need a delay notice", asked);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or DatabaseBusyException)
        {
            // The change itself is committed; the hourly upkeep asks again.
            logger.LogWarning(e, "Delay-notice requests after a calendar change postponed to the next upkeep");
        }
    }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var snapshot = await calendars.GetSnapshotAsync(ct);
        var calendar = snapshot.Calendar;
        var today = Appointment.DateInVietnam(clock.GetUtcNow());
        var last = await db.SingleOrDefaultAsync<DateOnly?>(Sql.LastPromised, new { Promised }, ct);
        if (last is not { } end || end < today) return 0;
        var due = new List<Guid>();
        for (var day = today; day <= end; day = day.AddDays(1))
            if (!calendar.IsWorkingDay(day)) due.AddRange(await db.QueryAsync<Guid>(Sql.OnDay, new { Promised, Day = day }, ct));

        var asked = 0;
        foreach (var chunk in due.Chunk(Batch))
        {
            await using var tx = await db.BeginWriteAsync(ct);
            var now = clock.GetUtcNow();
            foreach (var id in chunk)
            {
                var d = await tx.SingleOrDefaultAsync<DossierRow>(Sql.ById, new { Id = id });
                // Re-read in the write: a dossier paused, moved or decided since is left alone.
                if (d is null || d.ClockPausedAt is not null || calendar.IsWorkingDay(d.AppointmentDate) || d.DelayNoticeNeededFor == d.AppointmentDate) continue;
                var plan = Plan(d, snapshot, today);
                if (await transitions.ApplyAsync(tx, new TransitionSubject(d.Id, d.Version, d.State, d.Target), DossierAction.MarkDelayNoticeNeeded,
                        TransitionActor.System("calendar"), plan, now) == TransitionOutcome.Applied) asked++;
            }
            await tx.CommitAsync();
            workflow.StepsWritten();
        }
        return asked;
    }

    /// <summary>
    /// The request, when the handling officer can still send the notice; otherwise (the one new date was already set, no working
    /// day is left before the date, or the dossier is not the ward's) nobody can, so the dossier is escalated to the province at once.
    /// </summary>
    private static ActionPlan Plan(DossierRow d, CalendarSnapshot snapshot, DateOnly today)
    {
        var date = d.AppointmentDate;
        var day = snapshot.Calendar.EntryOn(date)?.Name ?? "ngày nghỉ cuối tuần";
        var notice = snapshot.Years.GetValueOrDefault(date.Year)?.Notice;
        var basis = notice is null ? $"lịch làm việc năm {date.Year} hiện hành (chưa có thông báo chính thức)" : $"{notice.Citation} ({notice.Title})";
        var why = !DossierRules.For(DossierAction.RecordDelayNotice).From.Contains(d.State) ? "hồ sơ chưa do xã/phường xử lý"
            : DelayNotice.MayRecord(d.Rescheduled, d.OverdueSince is not null, date, today, snapshot.Calendar) switch
            {
                DelayNotice.Verdict.AlreadyGiven => "ngày hẹn đã được hẹn lại một lần",
                DelayNotice.Verdict.TooLate => "không còn ngày làm việc nào trước ngày hẹn",
                _ => null,
            };
        var note = $"Ngày hẹn trả kết quả {Templates.Date(date)} đã trở thành ngày nghỉ ({day}) theo {basis}. Ngày hẹn không tự thay đổi: " + (why is null
            ? $"cần lập Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04), nêu lý do và ngày hẹn mới, chậm nhất ngày {Templates.Date(DelayNotice.LastDay(date, snapshot.Calendar))}."
            : $"không thể lập Phiếu xin lỗi và hẹn lại (Mẫu 04) vì {why}; chuyển cán bộ cấp tỉnh theo dõi, đôn đốc.");
        return new ActionPlan(EventKind, note)
        {
            UpdateSql = why is null ? Sql.Mark : Sql.MarkAndEscalate,
            AlsoRecorded = why is null ? [] : [DossierTransitions.Escalated],
            UpdateArgs = new { Day = date },
            Notify = [NotificationKind],
            NotifyValues = new Dictionary<string, string> { ["appointment"] = Templates.Date(date), ["notice"] = notice?.Citation ?? basis },
            NotifyAudience = "staff",
        };
    }

    internal static class Sql
    {
        public const string LastPromised = "SELECT MAX(appointment_date) FROM dossier WHERE status IN @Promised AND clock_paused_at IS NULL";
        public const string OnDay = """
            SELECT id FROM dossier
            WHERE status IN @Promised AND appointment_date = @Day AND clock_paused_at IS NULL
              AND (delay_notice_needed_for IS NULL OR delay_notice_needed_for <> @Day)
            ORDER BY id
            """;
        public const string ById = DossierAccess.Sql.SelectColumns + " WHERE id = @Id";
        public const string MarkAndEscalate = """
            UPDATE dossier SET delay_notice_needed_for = @Day, escalated_at = COALESCE(escalated_at, @Now), version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string Mark = """
            UPDATE dossier SET delay_notice_needed_for = @Day, version = version + 1, updated_at = @Now WHERE id = @Id AND version = @Version
            """;
    }
}
