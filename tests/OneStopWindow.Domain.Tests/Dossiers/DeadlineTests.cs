using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Domain.Tests.Dossiers;

/// <summary>The deadline predicates (the SQL twin is checked against them on a real database in the Api tests).</summary>
public sealed class DeadlineTests
{
    private static readonly WorkingCalendar Weekdays = new([]);

    /// <summary>The default of <c>Sla:AtRiskWorkingDays</c>.</summary>
    private const int Window = 3;

    // Thursday 3 Dec 2026: the risk date is three working days on, Tuesday 8 Dec (Friday, Monday, Tuesday).
    private static readonly Deadline.Horizon Thursday = Deadline.Horizon.On(new DateOnly(2026, 12, 3), Weekdays, Window);

    /// <summary>National Day 2026 for public servants (Notice 9441/TB-BNV, DOMAIN.md §5): off Monday 31 Aug (swapped with Saturday 22 Aug), 1 and 2 Sep.</summary>
    private static readonly WorkingCalendar NationalDay2026 = new(
    [
        new(new DateOnly(2026, 8, 22), CalendarEntryKind.SwappedWorkingDay, "Làm bù cho thứ Hai 31/08", "9441/TB-BNV"),
        new(new DateOnly(2026, 8, 31), CalendarEntryKind.CompensatoryDayOff, "Nghỉ hoán đổi", "9441/TB-BNV"),
        new(new DateOnly(2026, 9, 1), CalendarEntryKind.Holiday, "Quốc khánh", "Bộ luật Lao động 2019 Điều 112"),
        new(new DateOnly(2026, 9, 2), CalendarEntryKind.Holiday, "Quốc khánh", "Bộ luật Lao động 2019 Điều 112"),
    ]);

    private static Deadline.Facts Open(string appointment, bool paused = false, bool marked = false, DossierStatus status = DossierStatus.InVerification) =>
        new(status, DateOnly.Parse(appointment, System.Globalization.CultureInfo.InvariantCulture), paused, marked);

    [Fact]
    public void The_risk_date_is_the_window_in_working_days_on()
    {
        Assert.Equal(new DateOnly(2026, 12, 8), Thursday.RiskDate);
        Assert.Equal(Window, Thursday.AtRiskWorkingDays);
        Assert.Equal(new DateOnly(2026, 12, 9), Deadline.Horizon.On(new DateOnly(2026, 12, 4), Weekdays, Window).RiskDate);
        Assert.Equal(new DateOnly(2026, 12, 4), Deadline.Horizon.On(new DateOnly(2026, 12, 3), Weekdays, 1).RiskDate);
    }

    /// <summary>
    /// The warning comes early enough for the delay notice, due one working day before the deadline (Decree 61/2018,
    /// carried into Decree 118/2025; DOMAIN.md §1.7, §10 item 4): three working days before, counted over the weekend —
    /// a Tuesday deadline is at risk from the Thursday before, not the Wednesday.
    /// </summary>
    [Fact]
    public void The_warning_fires_three_working_days_before_across_a_weekend()
    {
        var tuesday = Open("2026-12-08");
        Assert.False(Deadline.IsAtRisk(tuesday, Deadline.Horizon.On(new DateOnly(2026, 12, 2), Weekdays, Window)));
        Assert.True(Deadline.IsAtRisk(tuesday, Deadline.Horizon.On(new DateOnly(2026, 12, 3), Weekdays, Window)));
        Assert.True(Deadline.IsAtRisk(tuesday, Deadline.Horizon.On(new DateOnly(2026, 12, 5), Weekdays, Window)));   // the Saturday: still
    }

    /// <summary>
    /// Same source; the days off of National Day 2026 (DOMAIN.md §5) do not count: a deadline on Friday 4 Sep is at risk from
    /// Thursday 27 Aug (Friday 28 Aug, Thursday 3 and Friday 4 Sep are the three working days left), not Wednesday 26 Aug.
    /// </summary>
    [Fact]
    public void The_warning_fires_three_working_days_before_across_a_holiday()
    {
        var friday = Open("2026-09-04");
        Assert.False(Deadline.IsAtRisk(friday, Deadline.Horizon.On(new DateOnly(2026, 8, 26), NationalDay2026, Window)));
        Assert.True(Deadline.IsAtRisk(friday, Deadline.Horizon.On(new DateOnly(2026, 8, 27), NationalDay2026, Window)));
        Assert.False(Deadline.IsAtRisk(friday, Deadline.Horizon.On(new DateOnly(2026, 8, 27), Weekdays, Window)));   // without the holidays: not yet
    }

    [Theory]
    [InlineData("2026-12-02", 0)]   // yesterday: overdue
    [InlineData("2026-12-03", 1)]   // today: at risk
    [InlineData("2026-12-07", 1)]   // Monday, two working days: at risk
    [InlineData("2026-12-08", 1)]   // Tuesday, three working days: at risk
    [InlineData("2026-12-09", 2)]   // Wednesday: within time
    public void Urgency_follows_the_appointment_date(string appointment, int urgency) =>
        Assert.Equal(urgency, Deadline.Urgency(Open(appointment), Thursday));

    [Theory]
    [InlineData("2026-11-20")]
    [InlineData("2026-12-03")]
    [InlineData("2026-12-04")]
    [InlineData("2026-12-08")]
    public void A_paused_clock_is_never_overdue_or_at_risk(string appointment)
    {
        var paused = Open(appointment, paused: true, status: DossierStatus.SupplementRequested);
        Assert.False(Deadline.IsOverdue(paused, Thursday));
        Assert.False(Deadline.IsAtRisk(paused, Thursday));
        Assert.False(Deadline.IsOverdue(paused with { MarkedOverdue = true }, Thursday));
        Assert.Equal(2, Deadline.Urgency(paused, Thursday));
    }

    [Theory]
    [InlineData(DossierStatus.ResultReady)]
    [InlineData(DossierStatus.Returned)]
    [InlineData(DossierStatus.Withdrawn)]
    public void A_finished_dossier_is_neither(DossierStatus status)
    {
        Assert.False(Deadline.IsOverdue(Open("2026-11-20", marked: true, status: status), Thursday));
        Assert.False(Deadline.IsAtRisk(Open("2026-12-03", status: status), Thursday));
    }

    [Fact]
    public void Marked_overdue_stays_overdue_when_a_supplement_moves_the_date_and_is_not_at_risk()
    {
        var moved = Open("2026-12-04", marked: true);
        Assert.True(Deadline.IsOverdue(moved, Thursday));
        Assert.False(Deadline.IsAtRisk(moved, Thursday));
    }

    [Fact]
    public void The_finished_list_in_SQL_is_the_finished_set()
    {
        var inSql = Deadline.Sql.FinishedList.Trim('(', ')').Split(", ").Select(s => Enum.Parse<DossierStatus>(s.Trim('\''))).ToHashSet();
        Assert.True(inSql.SetEquals(Deadline.Finished));
        Assert.All(Enum.GetValues<DossierStatus>(), s => Assert.Equal(!Deadline.Finished.Contains(s), s.IsOpen()));
    }

    [Fact]
    public void Priority_orders_by_urgency_then_need_then_date_then_code()
    {
        var d = new DateOnly(2026, 12, 10);
        Priority.Key[] expected =
        [
            new(0, 0, d.AddDays(5), "B"),
            new(1, 7, d, "Z"),
            new(1, 2, d, "A"),
            new(1, 2, d, "B"),
            new(1, 2, d.AddDays(1), "A"),
            new(2, 9, d, "A"),
        ];
        Assert.Equal(expected, expected.Reverse().Order().ToArray());
    }

    [Fact]
    public void Need_is_the_weights_of_zone_region_and_vulnerability()
    {
        Assert.Equal(2 + 3 + 2, Priority.Need("mountainous", "III", vulnerable: true));
        Assert.Equal(1, Priority.Need("midland", "none", vulnerable: false));
        Assert.Equal(0, Priority.Need("urban", null, vulnerable: false));
        Assert.Contains("WHEN 'mountainous' THEN 2", Priority.NeedSql, StringComparison.Ordinal);
        Assert.Contains("WHEN 'III' THEN 3", Priority.NeedSql, StringComparison.Ordinal);
    }
}
