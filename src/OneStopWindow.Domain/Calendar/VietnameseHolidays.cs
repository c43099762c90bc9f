namespace OneStopWindow.Domain.Calendar;

/// <summary>
/// Statutory public holidays (Labour Code 2019 Art. 112: 11 days) in their default placement, and the
/// default compensation of a holiday that falls on a weekly rest day (Art. 112(3): the next working day).
/// The government's yearly notice may place Tết differently and swap working days; such a notice
/// replaces the default compensation for its year.
/// </summary>
public static class VietnameseHolidays
{
    private const string LabourCode = "Bộ luật Lao động 2019, Điều 112";

    public static IReadOnlyList<CalendarEntry> Statutory(int year)
    {
        var tet = LunarCalendar.ToSolar(year, 1, 1);
        var hungKings = LunarCalendar.ToSolar(year, 3, 10);
        var list = new List<CalendarEntry>
        {
            new(new DateOnly(year, 1, 1), CalendarEntryKind.Holiday, "Tết Dương lịch", LabourCode),
            // Default placement of the five Tết days: the last day of the old lunar year and days 1–4 of the new one.
            new(tet.AddDays(-1), CalendarEntryKind.Holiday, "Tết Nguyên đán (cuối năm âm lịch)", LabourCode),
        };
        for (var i = 0; i < 4; i++)
            list.Add(new(tet.AddDays(i), CalendarEntryKind.Holiday, $"Tết Nguyên đán (mùng {i + 1})", LabourCode));
        list.Add(new(hungKings, CalendarEntryKind.Holiday, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", LabourCode));
        list.Add(new(new DateOnly(year, 4, 30), CalendarEntryKind.Holiday, "Ngày Chiến thắng", LabourCode));
        list.Add(new(new DateOnly(year, 5, 1), CalendarEntryKind.Holiday, "Ngày Quốc tế Lao động", LabourCode));
        // National Day: 2 Sep plus the day before or after, as the government decides; the day before by default.
        list.Add(new(new DateOnly(year, 9, 1), CalendarEntryKind.Holiday, "Quốc khánh (ngày liền kề)", LabourCode));
        list.Add(new(new DateOnly(year, 9, 2), CalendarEntryKind.Holiday, "Quốc khánh", LabourCode));
        return list.OrderBy(e => e.Date).ToList();
    }

    public static IReadOnlyList<CalendarEntry> DefaultCompensation(IReadOnlyList<CalendarEntry> statutory)
    {
        var holidays = statutory.Where(e => e.Kind == CalendarEntryKind.Holiday).Select(e => e.Date).ToHashSet();
        var used = new HashSet<DateOnly>();
        var result = new List<CalendarEntry>();
        foreach (var h in statutory.Where(e => e.Kind == CalendarEntryKind.Holiday && IsWeekend(e.Date)).OrderBy(e => e.Date))
        {
            var day = h.Date.AddDays(1);
            while (IsWeekend(day) || holidays.Contains(day) || used.Contains(day)) day = day.AddDays(1);
            used.Add(day);
            result.Add(new(day, CalendarEntryKind.CompensatoryDayOff, $"Nghỉ bù {h.Name} ({h.Date:dd/MM})", LabourCode + " khoản 3"));
        }
        return result;
    }

    public static IReadOnlyList<CalendarEntry> ForYear(int year, IReadOnlyList<CalendarEntry>? announced)
    {
        var statutory = Statutory(year);
        if (announced is null) return [.. statutory, .. DefaultCompensation(statutory)];
        var announcedDates = announced.Select(e => e.Date).ToHashSet();
        return [.. statutory.Where(e => !announcedDates.Contains(e.Date)), .. announced];
    }

    private static bool IsWeekend(DateOnly d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}
