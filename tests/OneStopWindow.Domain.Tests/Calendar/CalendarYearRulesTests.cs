using OneStopWindow.Domain.Calendar;
using static OneStopWindow.Domain.Tests.Calendar.Notices;

namespace OneStopWindow.Domain.Tests.Calendar;

/// <summary>What a year's schedule must satisfy before it is recorded: Labour Code 2019 Art. 112(1) fixes the holidays, Art. 112(3) lets the Prime Minister place them.</summary>
public sealed class CalendarYearRulesTests
{
    private static List<(int, CalendarEntry)> Indexed(IEnumerable<CalendarEntry> entries) => entries.Select((e, i) => (i, e)).ToList();

    [Fact]
    public void The_default_rule_and_the_seeded_notices_satisfy_Article_112()
    {
        for (var year = 2025; year <= 2100; year++) Assert.Empty(CalendarYearRules.Check(year, Indexed(VietnameseHolidays.ForYear(year, null))));
        Assert.Empty(CalendarYearRules.Check(2025, Indexed(VietnameseHolidays.ForYear(2025, Year2025))));
        Assert.Empty(CalendarYearRules.Check(2026, Indexed(VietnameseHolidays.ForYear(2026, Year2026))));
    }

    [Fact]
    public void Tet_placed_as_in_2024_on_a_Saturday_new_year_passes()
    {
        // DOMAIN.md §10 item 6: Tết 2024 (Saturday) was off Thu 8 – Wed 14 Feb, not the default Fri 9 – Thu 15; 2027's Tết is also a Saturday.
        var entries = VietnameseHolidays.ForYear(2027, Placed2027);
        Assert.Empty(CalendarYearRules.Check(2027, Indexed(entries)));
        var calendar = new WorkingCalendar(entries);
        Assert.False(calendar.IsWorkingDay(D("2027-02-04")));
        Assert.True(calendar.IsWorkingDay(D("2027-02-11")));
    }

    /// <summary>An example notice for 2027 in the 2024 pattern (no 2027 notice is published yet): Tết Thu 4 – Mon 8 Feb, Tue 9 and Wed 10 off for the weekend.</summary>
    public static readonly IReadOnlyList<CalendarEntry> Placed2027 =
    [
        new(D("2027-02-04"), CalendarEntryKind.Holiday, "Tết Nguyên đán (28 tháng Chạp)", "ví dụ"),
        new(D("2027-02-05"), CalendarEntryKind.Holiday, "Tết Nguyên đán (ngày cuối năm âm lịch)", "ví dụ"),
        new(D("2027-02-06"), CalendarEntryKind.Holiday, "Tết Nguyên đán (mùng 1)", "ví dụ"),
        new(D("2027-02-07"), CalendarEntryKind.Holiday, "Tết Nguyên đán (mùng 2)", "ví dụ"),
        new(D("2027-02-08"), CalendarEntryKind.Holiday, "Tết Nguyên đán (mùng 3)", "ví dụ"),
        new(D("2027-02-09"), CalendarEntryKind.CompensatoryDayOff, "Nghỉ bù Tết (thứ Bảy 06/02)", "ví dụ"),
        new(D("2027-02-10"), CalendarEntryKind.CompensatoryDayOff, "Nghỉ bù Tết (Chủ nhật 07/02)", "ví dụ"),
    ];

    [Fact]
    public void A_holiday_the_law_fixes_cannot_be_dropped_or_given_another_kind()
    {
        var entries = VietnameseHolidays.ForYear(2028, null).Where(e => e.Date != D("2028-04-30")).ToList();
        var i = entries.FindIndex(e => e.Date == D("2028-05-01"));
        entries[i] = entries[i] with { Kind = CalendarEntryKind.CompensatoryDayOff };
        var problems = CalendarYearRules.Check(2028, Indexed(entries));
        Assert.Contains(problems, p => p.Index is null && p.Message.Contains("30/04/2028", StringComparison.Ordinal) && p.Message.Contains("Điều 112", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Index == i && p.Field == "kind");
    }

    [Fact]
    public void National_Day_needs_its_adjacent_day_and_Tet_its_five_days()
    {
        var entries = VietnameseHolidays.ForYear(2028, null).Where(e => e.Date != D("2028-09-01") && !e.Name.Contains("mùng 4", StringComparison.Ordinal)).ToList();
        var problems = CalendarYearRules.Check(2028, Indexed(entries));
        Assert.Contains(problems, p => p.Message.Contains("01/09 hoặc 03/09", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("Tết Nguyên đán được nghỉ 5 ngày", StringComparison.Ordinal));
    }

    [Fact]
    public void Dates_outside_the_year_repeated_days_and_kinds_on_the_wrong_weekday_are_refused_by_index()
    {
        var entries = VietnameseHolidays.ForYear(2028, null).ToList();
        entries.Add(new(D("2029-01-01"), CalendarEntryKind.Holiday, "x", "x"));            // another year
        entries.Add(new(D("2028-01-01"), CalendarEntryKind.Holiday, "x", "x"));            // repeated
        entries.Add(new(D("2028-03-15"), CalendarEntryKind.SwappedWorkingDay, "x", "x"));  // a Wednesday "worked"
        entries.Add(new(D("2028-03-18"), CalendarEntryKind.CompensatoryDayOff, "x", "x")); // a Saturday "off"
        var n = entries.Count;
        var problems = CalendarYearRules.Check(2028, Indexed(entries));
        Assert.Equal([(n - 4, "date"), (n - 3, "date"), (n - 2, "kind"), (n - 1, "kind")], problems.Select(p => (p.Index ?? -1, p.Field)));
    }
}
