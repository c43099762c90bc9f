using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Domain.Tests.Calendar;

public sealed class WorkingCalendarTests
{
    private static readonly TimeOnly Close = new(17, 0);

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset VietnamTime(string date, int hour) =>
        new(D(date).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(7));

    // The 2026 public-servant schedule (Notice 9441/TB-BNV): Tết statutory Mon 16 – Fri 20 Feb;
    // Mon 31 Aug off, swapped with Saturday 22 Aug; Hùng Kings on Sunday 26 Apr compensated Monday 27 Apr.
    private static readonly WorkingCalendar Year2026 = new(VietnameseHolidays.ForYear(2026,
    [
        new(D("2026-04-27"), CalendarEntryKind.CompensatoryDayOff, "Nghỉ bù", "test"),
        new(D("2026-08-22"), CalendarEntryKind.SwappedWorkingDay, "Làm bù", "test"),
        new(D("2026-08-31"), CalendarEntryKind.CompensatoryDayOff, "Nghỉ hoán đổi", "test"),
    ]));

    [Fact]
    public void The_2026_Tet_week_is_not_worked()
    {
        foreach (var day in new[] { "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20" })
            Assert.False(Year2026.IsWorkingDay(D(day)), day);
        Assert.True(Year2026.IsWorkingDay(D("2026-02-13")));
        Assert.True(Year2026.IsWorkingDay(D("2026-02-23")));
    }

    [Fact]
    public void A_dossier_received_before_Tet_is_due_after_it()
    {
        // Fri 13 Feb 10:00; working days after it: 23, 24, 25 Feb.
        Assert.Equal(D("2026-02-25"), Appointment.Due(VietnamTime("2026-02-13", 10), 3, Year2026, Close));
    }

    [Fact]
    public void After_office_close_the_count_starts_from_the_next_working_day()
    {
        // Fri 13 Feb 17:30 → day zero is Mon 23 Feb; 3 working days later is Thu 26 Feb.
        Assert.Equal(D("2026-02-26"), Appointment.Due(VietnamTime("2026-02-13", 17).AddMinutes(30), 3, Year2026, Close));
    }

    [Fact]
    public void Received_on_a_Sunday_counts_from_Monday()
    {
        // Sun 8 Mar 2026 → day zero Mon 9 Mar; 10 working days later is Mon 23 Mar.
        Assert.Equal(D("2026-03-23"), Appointment.Due(VietnamTime("2026-03-08", 9), 10, Year2026, Close));
    }

    [Fact]
    public void A_swapped_Saturday_is_worked_and_its_Monday_is_not()
    {
        Assert.True(Year2026.IsWorkingDay(D("2026-08-22")));
        Assert.False(Year2026.IsWorkingDay(D("2026-08-31")));
        Assert.False(Year2026.IsWorkingDay(D("2026-09-01")));
        Assert.False(Year2026.IsWorkingDay(D("2026-09-02")));
        // Fri 21 Aug + 2 working days = Sat 22 Aug, Mon 24 Aug.
        Assert.Equal(D("2026-08-24"), Year2026.AddWorkingDays(D("2026-08-21"), 2));
    }

    [Fact]
    public void A_holiday_on_a_Sunday_is_compensated_on_the_next_working_day_by_default()
    {
        var defaults = new WorkingCalendar(VietnameseHolidays.ForYear(2026, announced: null));
        Assert.False(defaults.IsWorkingDay(D("2026-04-27")));   // Hùng Kings on Sun 26 Apr
        Assert.True(defaults.IsWorkingDay(D("2026-04-28")));
    }

    [Fact]
    public void A_year_has_eleven_statutory_holidays()
    {
        for (var year = 2025; year <= 2035; year++)
            Assert.Equal(11, VietnameseHolidays.Statutory(year).Select(e => e.Date).Distinct().Count());
    }

    [Fact]
    public void Working_days_between_counts_the_end_but_not_the_start()
    {
        Assert.Equal(5, Year2026.WorkingDaysBetween(D("2026-03-01"), D("2026-03-08")));
        Assert.Equal(0, Year2026.WorkingDaysBetween(D("2026-02-13"), D("2026-02-22")));
    }
}
