using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// The delay notice: the apology and new appointment (Form 04). When the result cannot be returned on time, the handling
/// unit sends it no later than one working day before the deadline, stating the reason and the new date, which may be set
/// only once (Decree 61/2018, carried into Decree 118/2025 — wording there unconfirmed; DOMAIN.md §1.7, §10 item 4). It is
/// the officer's act: the system warns in time (<see cref="Deadline.Horizon"/>) and escalates when nobody acted, but never
/// writes the letter itself.
/// </summary>
public static class DelayNotice
{
    public enum Verdict { Allowed, AlreadyGiven, TooLate }

    /// <summary>The last day the notice may be sent: the working day before the appointment date.</summary>
    public static DateOnly LastDay(DateOnly appointment, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.LastWorkingDayBefore(appointment);
    }

    /// <summary>
    /// The first working day on or after <paramref name="today"/>: a dossier due by it can no longer get a notice (no working day is
    /// left before its date), so nobody acted in time and it is escalated — the SQL bound of the deadline watch.
    /// </summary>
    public static DateOnly EscalateDueBy(DateOnly today, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var day = today;
        while (!calendar.IsWorkingDay(day)) day = day.AddDays(1);
        return day;
    }

    /// <param name="rescheduled">The one new date has been set already (by a notice, or by the deadline watch before issue 17).</param>
    /// <param name="markedOverdue">The deadline watch has recorded the dossier overdue: too late for a notice, whatever its date now.</param>
    public static Verdict MayRecord(bool rescheduled, bool markedOverdue, DateOnly appointment, DateOnly today, WorkingCalendar calendar) =>
        rescheduled ? Verdict.AlreadyGiven
        : markedOverdue || today > LastDay(appointment, calendar) ? Verdict.TooLate
        : Verdict.Allowed;

    /// <summary>Why <paramref name="newDate"/> cannot be the new appointment date (null: it can): a working day after the current one.</summary>
    public static string? NewDateProblem(DateOnly appointment, DateOnly newDate, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (newDate <= appointment) return "Ngày hẹn mới phải sau ngày hẹn hiện tại.";
        if (!calendar.IsWorkingDay(newDate)) return "Ngày hẹn mới phải là ngày làm việc (không phải thứ Bảy, Chủ nhật, ngày lễ hoặc ngày nghỉ bù).";
        return null;
    }
}
