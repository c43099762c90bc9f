using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// Where a dossier stands against its appointment date, computed from stored dates by one definition that also
/// gives the SQL the queues filter and sort with. A dossier waiting for the citizen's supplement has its clock paused —
/// the appointment date is suspended and the remaining working days resume on receipt (DOMAIN.md §1.6, §10 item 8) —
/// so it is never overdue or at risk while it waits; a finished dossier (decided, returned, withdrawn, refused at reception) is neither
/// either: whether it was late is in the reports.
/// </summary>
public static class Deadline
{
    /// <summary>The statuses after which no deadline runs: read from <see cref="Sql.FinishedList"/>, the one list.</summary>
    public static IReadOnlySet<DossierStatus> Finished { get; } = Sql.FinishedList.Trim('(', ')').Split(',')
        .Select(s => Enum.Parse<DossierStatus>(s.Trim().Trim('\''))).ToHashSet();

    /// <summary>What the predicates read from a dossier row.</summary>
    /// <param name="MarkedOverdue">The deadline watch has recorded it overdue (its appointment date passed with the clock running); it
    /// stays overdue even if a later supplement moves the date.</param>
    public readonly record struct Facts(DossierStatus Status, DateOnly AppointmentDate, bool ClockPaused, bool MarkedOverdue);

    /// <summary>
    /// The days the predicates compare with, computed once per request from today in Vietnam. At risk: due within
    /// <paramref name="AtRiskWorkingDays"/> working days — the officer's warning, early enough to send the delay notice
    /// (Form 04), which is due no later than one working day before the appointment (DOMAIN.md §1.7, §10 item 4). The
    /// number is a setting (<c>Sla:AtRiskWorkingDays</c>), not a decree's.
    /// </summary>
    public readonly record struct Horizon(DateOnly Today, DateOnly RiskDate, int AtRiskWorkingDays)
    {
        public static Horizon On(DateOnly today, WorkingCalendar calendar, int atRiskWorkingDays)
        {
            ArgumentNullException.ThrowIfNull(calendar);
            ArgumentOutOfRangeException.ThrowIfNegative(atRiskWorkingDays);
            return new(today, calendar.AddWorkingDays(today, atRiskWorkingDays), atRiskWorkingDays);
        }
    }

    public static bool IsRunning(Facts f) => !Finished.Contains(f.Status) && !f.ClockPaused;

    /// <summary>Open, clock running, and the appointment date has passed or the watch marked it overdue.</summary>
    public static bool IsOverdue(Facts f, Horizon h) => IsRunning(f) && (f.MarkedOverdue || f.AppointmentDate < h.Today);

    /// <summary>Open, clock running, not overdue, and due by <see cref="Horizon.RiskDate"/>.</summary>
    public static bool IsAtRisk(Facts f, Horizon h) => IsRunning(f) && !f.MarkedOverdue && f.AppointmentDate >= h.Today && f.AppointmentDate <= h.RiskDate;

    /// <summary>0 overdue, 1 at risk, 2 within time (the first key of the priority order).</summary>
    public static int Urgency(Facts f, Horizon h) => IsOverdue(f, h) ? 0 : IsAtRisk(f, h) ? 1 : 2;

    /// <summary>
    /// The same predicates over a <c>dossier</c> row (columns status, appointment_date, clock_paused_at, overdue_since;
    /// parameters @Today and @RiskDate of the <see cref="Horizon"/>). Constants, so the statements built from them stay
    /// constants that the SQL tests parse; <c>DeadlineTests</c> checks them against the C# predicates on a real database.
    /// </summary>
    public static class Sql
    {
        /// <summary>The finished statuses: decided, returned, withdrawn, refused at reception (national 9, 10, 7, 3).</summary>
        public const string FinishedList = $"('{nameof(DossierStatus.ResultReady)}', '{nameof(DossierStatus.Returned)}', '{nameof(DossierStatus.Withdrawn)}', "
            + $"'{nameof(DossierStatus.RefusedAtReception)}')";

        public const string Open = $"status NOT IN {FinishedList}";

        public const string Running = $"{Open} AND clock_paused_at IS NULL";

        public const string Overdue = $"({Running} AND (overdue_since IS NOT NULL OR appointment_date < @Today))";

        public const string AtRisk = $"({Running} AND overdue_since IS NULL AND appointment_date >= @Today AND appointment_date <= @RiskDate)";

        public const string Urgency = $"CASE WHEN {Overdue} THEN 0 WHEN {AtRisk} THEN 1 ELSE 2 END";
    }
}
