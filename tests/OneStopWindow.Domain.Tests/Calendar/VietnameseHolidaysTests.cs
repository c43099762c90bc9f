using OneStopWindow.Domain.Calendar;
using static OneStopWindow.Domain.Tests.Calendar.Notices;

namespace OneStopWindow.Domain.Tests.Calendar;

public sealed class VietnameseHolidaysTests
{
    [Fact]
    public void Every_year_has_eleven_statutory_holidays_on_distinct_days()
    {
        // The last coincidence was in 1947 (Hùng Kings on 30 Apr); none between 2000 and 2199.
        for (var year = 2000; year <= 2199; year++)
        {
            var days = VietnameseHolidays.Statutory(year);
            Assert.Equal(11, days.Select(e => e.Date).Distinct().Count());
            Assert.All(days, e => Assert.Equal("Bộ luật Lao động 2019, Điều 112", e.Source));
        }
    }

    [Fact]
    public void Tet_by_default_is_the_last_day_of_the_old_year_and_the_first_four_of_the_new()
    {
        var tet = VietnameseHolidays.Statutory(2026).Where(e => e.Name.StartsWith("Tết Nguyên đán", StringComparison.Ordinal)).Select(e => e.Date);
        Assert.Equal([D("2026-02-16"), D("2026-02-17"), D("2026-02-18"), D("2026-02-19"), D("2026-02-20")], tet);
    }

    [Fact]
    public void The_2022_default_compensation_matches_the_published_schedule()
    {
        // 1 Jan (Sat) → Mon 3 Jan; Hùng Kings Sun 10 Apr → Mon 11 Apr; 30 Apr (Sat) and 1 May (Sun) → Mon 2 and Tue 3 May.
        var compensation = VietnameseHolidays.DefaultCompensation(VietnameseHolidays.Statutory(2022));
        Assert.Equal([D("2022-01-03"), D("2022-04-11"), D("2022-05-02"), D("2022-05-03")], compensation.Select(e => e.Date));
        Assert.All(compensation, e => Assert.Equal(CalendarEntryKind.CompensatoryDayOff, e.Kind));
        Assert.Equal("Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch), rơi vào Chủ nhật 10/04", compensation[1].Name);
    }

    [Fact]
    public void Without_a_notice_a_holiday_on_a_Sunday_is_compensated_on_Monday()
    {
        var entries = VietnameseHolidays.ForYear(2026, announced: null);
        var monday = Assert.Single(entries, e => e.Date == D("2026-04-27"));
        Assert.Equal(CalendarEntryKind.CompensatoryDayOff, monday.Kind);
        Assert.Equal("Bộ luật Lao động 2019, Điều 111 khoản 3", monday.Source);
    }

    [Fact]
    public void A_notice_replaces_the_default_compensation()
    {
        // 2025 by default: Tết 28 Jan – Sat 1 Feb, so Mon 3 Feb would be a compensatory day off.
        Assert.Contains(VietnameseHolidays.ForYear(2025, announced: null), e => e.Date == D("2025-02-03"));
        Assert.DoesNotContain(VietnameseHolidays.ForYear(2025, Year2025), e => e.Date == D("2025-02-03"));
    }

    [Fact]
    public void A_notice_that_places_Tet_replaces_the_default_Tet_days()
    {
        var holidays = VietnameseHolidays.ForYear(2025, Year2025).Where(e => e.Kind == CalendarEntryKind.Holiday).ToList();
        Assert.Equal(11, holidays.Count);
        Assert.Equal(
            [D("2025-01-27"), D("2025-01-28"), D("2025-01-29"), D("2025-01-30"), D("2025-01-31")],
            holidays.Where(e => e.Name.StartsWith("Tết Nguyên đán", StringComparison.Ordinal)).Select(e => e.Date));
        Assert.DoesNotContain(holidays, e => e.Date == D("2025-02-01"));
    }

    [Fact]
    public void A_notice_that_moves_the_day_beside_National_Day_replaces_the_default_one()
    {
        var entries = VietnameseHolidays.ForYear(2027, [new(D("2027-09-03"), CalendarEntryKind.Holiday, "Quốc khánh (ngày liền kề)", "notice")]);
        Assert.DoesNotContain(entries, e => e.Date == D("2027-09-01"));
        Assert.Contains(entries, e => e.Date == D("2027-09-03"));
    }

    [Fact]
    public void An_announced_entry_replaces_the_computed_one_on_the_same_date()
    {
        var entries = VietnameseHolidays.ForYear(2026, [new(D("2026-01-01"), CalendarEntryKind.Holiday, "Tết Dương lịch 2026", "notice")]);
        Assert.Equal("notice", Assert.Single(entries, e => e.Date == D("2026-01-01")).Source);
    }

    [Fact]
    public void A_year_never_lists_a_date_twice()
    {
        for (var year = 2000; year <= 2100; year++)
            Assert.Equal(VietnameseHolidays.ForYear(year, null).Count, VietnameseHolidays.ForYear(year, null).Select(e => e.Date).Distinct().Count());
        foreach (var (year, notice) in new[] { (2025, Year2025), (2026, Year2026) })
        {
            var entries = VietnameseHolidays.ForYear(year, notice);
            Assert.Equal(entries.Count, entries.Select(e => e.Date).Distinct().Count());
        }
    }

    [Fact]
    public void A_notice_listing_a_date_twice_is_refused() =>
        Assert.Throws<ArgumentException>(() => VietnameseHolidays.ForYear(2026,
        [
            new(D("2026-08-22"), CalendarEntryKind.SwappedWorkingDay, "a", "n"),
            new(D("2026-08-22"), CalendarEntryKind.SwappedWorkingDay, "b", "n"),
        ]));
}
