using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// Supplements (Form 02). The applicant is guided once, in writing, listing everything missing (DOMAIN.md §1.6); a
/// further request is a provincial override with a recorded reason. While the applicant owes it the clock is paused,
/// keeping the working days that were left; on receipt they resume, counted as from a filing.
/// </summary>
public static class Supplement
{
    /// <summary>Requests a ward may make on its own.</summary>
    public const int RequestsWithoutOverride = 1;

    public enum Verdict { Allowed, NeedsProvincialOverride, NeedsReason }

    public static Verdict MayRequest(int requestedBefore, bool provincialCaller, string? overrideReason) =>
        requestedBefore < RequestsWithoutOverride ? Verdict.Allowed
        : !provincialCaller ? Verdict.NeedsProvincialOverride
        : string.IsNullOrWhiteSpace(overrideReason) ? Verdict.NeedsReason
        : Verdict.Allowed;

    /// <summary>The working days left when the clock pauses (none once the date has passed).</summary>
    public static int RemainingOnPause(WorkingCalendar calendar, DateOnly today, DateOnly appointment)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return Math.Max(0, calendar.WorkingDaysBetween(today, appointment));
    }

    /// <summary>The new appointment date when the supplement arrives at <paramref name="receivedAt"/>.</summary>
    public static DateOnly AppointmentOnResume(DateTimeOffset receivedAt, int remainingWorkingDays, WorkingCalendar calendar, OfficeHours hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        return Appointment.Due(receivedAt, remainingWorkingDays, calendar, hours.Close);
    }
}

/// <summary>Public posting at the ward office: the procedure's number of working days, ending at office close on the last one.</summary>
public static class PublicPosting
{
    public static (DateOnly LastDay, DateTimeOffset EndsAt) Period(DateOnly startDay, int workingDays, WorkingCalendar calendar, OfficeHours hours)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(hours);
        var lastDay = calendar.AddWorkingDays(startDay, workingDays);
        return (lastDay, hours.ClosingOn(lastDay));
    }
}
