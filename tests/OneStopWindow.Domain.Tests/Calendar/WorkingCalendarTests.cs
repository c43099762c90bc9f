using OneStopWindow.Domain.Calendar;
using static OneStopWindow.Domain.Tests.Calendar.Notices;

namespace OneStopWindow.Domain.Tests.Calendar;

public sealed class WorkingCalendarTests
{
    [Theory]
    [InlineData("2026-02-16")]
    [InlineData("2026-02-17")]
    [InlineData("2026-02-18")]
    [InlineData("2026-02-19")]
    [InlineData("2026-02-20")]
    [InlineData("2026-01-02")]   // swapped with Sat 10 Jan
    [InlineData("2026-04-27")]   // Hùng Kings on Sunday 26 Apr
    [InlineData("2026-08-31")]   // swapped with Sat 22 Aug
    [InlineData("2026-09-01")]
    [InlineData("2026-09-02")]
    [InlineData("2025-01-27")]   // 2025 Tết as placed by the notice
    [InlineData("2025-05-02")]   // swapped with Sat 26 Apr
    public void Announced_days_off_are_not_worked(string day) => Assert.False(Announced.IsWorkingDay(D(day)));

    [Theory]
    [InlineData("2026-02-13")]
    [InlineData("2026-02-23")]
    [InlineData("2026-01-10")]   // Saturday, worked for Fri 2 Jan
    [InlineData("2026-08-22")]   // Saturday, worked for Mon 31 Aug
    [InlineData("2025-04-26")]   // Saturday, worked for Fri 2 May
    [InlineData("2025-02-03")]   // no default compensation once the notice placed Tết on weekdays
    public void Ordinary_and_swapped_working_days_are_worked(string day) => Assert.True(Announced.IsWorkingDay(D(day)));

    [Fact]
    public void Weekends_are_not_worked_unless_swapped()
    {
        Assert.False(Announced.IsWorkingDay(D("2026-02-14")));
        Assert.False(Announced.IsWorkingDay(D("2026-08-23")));
        Assert.False(new WorkingCalendar([]).IsWorkingDay(D("2026-03-07")));
    }

    [Fact]
    public void A_swapped_Saturday_counts_as_a_working_day()
    {
        Assert.Equal(D("2026-08-22"), Announced.AddWorkingDays(D("2026-08-21"), 1));
        Assert.Equal(D("2026-08-24"), Announced.AddWorkingDays(D("2026-08-21"), 2));
        Assert.Equal(D("2026-09-03"), Announced.AddWorkingDays(D("2026-08-28"), 1));
    }

    [Fact]
    public void Adding_zero_working_days_gives_the_start_itself() =>
        Assert.Equal(D("2026-02-14"), Announced.AddWorkingDays(D("2026-02-14"), 0));

    [Fact]
    public void Negative_working_days_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Announced.AddWorkingDays(D("2026-02-13"), -1));

    [Theory]
    [InlineData("2026-02-14", "2026-02-23")]
    [InlineData("2026-02-23", "2026-02-23")]
    [InlineData("2026-08-29", "2026-09-03")]
    [InlineData("2025-01-25", "2025-02-03")]
    public void The_next_working_day_on_or_after_skips_holidays_and_weekends(string day, string expected) =>
        Assert.Equal(D(expected), Announced.NextWorkingDayOnOrAfter(D(day)));

    [Fact]
    public void Working_days_between_counts_the_end_but_not_the_start()
    {
        Assert.Equal(5, Announced.WorkingDaysBetween(D("2026-03-01"), D("2026-03-08")));
        Assert.Equal(0, Announced.WorkingDaysBetween(D("2026-02-13"), D("2026-02-22")));
        Assert.Equal(1, Announced.WorkingDaysBetween(D("2026-02-13"), D("2026-02-23")));
    }

    [Fact]
    public void Counting_between_undoes_adding()
    {
        for (var start = D("2025-01-01"); start < D("2026-12-01"); start = start.AddDays(3))
            foreach (var n in new[] { 1, 5, 10, 20 })
                Assert.Equal(n, Announced.WorkingDaysBetween(start, Announced.AddWorkingDays(start, n)));
    }

    [Fact]
    public void The_entries_are_kept_in_date_order() =>
        Assert.Equal(Announced.Entries.OrderBy(e => e.Date), Announced.Entries);
}
