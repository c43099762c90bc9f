using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Domain.Tests.Dossiers;

/// <summary>
/// The delay notice (Form 04): the handling unit sends the apology, with the reason and the one new date, no later than one
/// working day before the deadline; the new date may be set only once. Source of every case: Decree 61/2018, carried into
/// Decree 118/2025 (wording there unconfirmed; DOMAIN.md §1.7, §10 item 4).
/// </summary>
public sealed class DelayNoticeTests
{
    private static readonly WorkingCalendar Weekdays = new([]);

    /// <summary>National Day 2026 (Notice 9441/TB-BNV, DOMAIN.md §5): Monday 31 Aug, 1 and 2 Sep off.</summary>
    private static readonly WorkingCalendar NationalDay2026 = new(
    [
        new(new DateOnly(2026, 8, 31), CalendarEntryKind.CompensatoryDayOff, "Nghỉ hoán đổi", "9441/TB-BNV"),
        new(new DateOnly(2026, 9, 1), CalendarEntryKind.Holiday, "Quốc khánh", "Bộ luật Lao động 2019 Điều 112"),
        new(new DateOnly(2026, 9, 2), CalendarEntryKind.Holiday, "Quốc khánh", "Bộ luật Lao động 2019 Điều 112"),
    ]);

    private static readonly DateOnly Monday = new(2026, 12, 7);

    [Fact]
    public void The_last_day_is_the_working_day_before_the_deadline()
    {
        Assert.Equal(new DateOnly(2026, 12, 4), DelayNotice.LastDay(Monday, Weekdays));   // over the weekend: the Friday
        Assert.Equal(new DateOnly(2026, 12, 8), DelayNotice.LastDay(new DateOnly(2026, 12, 9), Weekdays));
        Assert.Equal(new DateOnly(2026, 8, 28), DelayNotice.LastDay(new DateOnly(2026, 9, 3), NationalDay2026));   // over the holidays
    }

    [Fact]
    public void Allowed_until_the_last_working_day_before_the_deadline()
    {
        Assert.Equal(DelayNotice.Verdict.Allowed, DelayNotice.MayRecord(false, false, Monday, new DateOnly(2026, 11, 30), Weekdays));
        Assert.Equal(DelayNotice.Verdict.Allowed, DelayNotice.MayRecord(false, false, Monday, new DateOnly(2026, 12, 4), Weekdays));
    }

    [Theory]
    [InlineData("2026-12-05")]   // the Saturday before a Monday deadline: the last working day has passed
    [InlineData("2026-12-07")]   // the deadline day
    [InlineData("2026-12-08")]   // after
    public void Refused_on_the_deadline_day_or_after(string today) =>
        Assert.Equal(DelayNotice.Verdict.TooLate,
            DelayNotice.MayRecord(false, false, Monday, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), Weekdays));

    [Fact]
    public void The_new_date_is_set_once_and_an_overdue_dossier_is_too_late()
    {
        Assert.Equal(DelayNotice.Verdict.AlreadyGiven, DelayNotice.MayRecord(true, false, Monday, new DateOnly(2026, 12, 1), Weekdays));
        Assert.Equal(DelayNotice.Verdict.TooLate, DelayNotice.MayRecord(false, true, Monday, new DateOnly(2026, 12, 1), Weekdays));
    }

    [Theory]
    [InlineData("2026-12-07")]   // the current date itself
    [InlineData("2026-12-03")]   // earlier
    [InlineData("2026-12-12")]   // a Saturday
    public void The_new_date_is_a_working_day_after_the_current_one(string newDate) =>
        Assert.NotNull(DelayNotice.NewDateProblem(Monday, DateOnly.Parse(newDate, System.Globalization.CultureInfo.InvariantCulture), Weekdays));

    [Fact]
    public void A_holiday_is_no_new_date_and_the_next_working_day_is()
    {
        var due = new DateOnly(2026, 8, 28);
        Assert.NotNull(DelayNotice.NewDateProblem(due, new DateOnly(2026, 9, 1), NationalDay2026));
        Assert.NotNull(DelayNotice.NewDateProblem(due, new DateOnly(2026, 8, 31), NationalDay2026));
        Assert.Null(DelayNotice.NewDateProblem(due, new DateOnly(2026, 9, 3), NationalDay2026));
        Assert.Null(DelayNotice.NewDateProblem(Monday, new DateOnly(2026, 12, 8), Weekdays));
    }
}
