using System.Globalization;

namespace OneStopWindow.Domain.Calendar;

/// <summary>A reason a year's entries cannot be recorded: for one entry (its index and field) or for the list as a whole (no index).</summary>
public sealed record CalendarYearProblem(int? Index, string Field, string Message);

/// <summary>
/// What a year's schedule must satisfy before it replaces the stored one. The Prime Minister decides each year's schedule
/// (Labour Code 2019 Art. 112(3)), but only within the holidays Art. 112(1) fixes: New Year (1/1), Reunification Day
/// (30/4), Labour Day (1/5), National Day (2/9 and the day before or after), Hùng Kings (10/3 lunar) and five days of Tết.
/// A notice places Tết and the day beside 2/9 and swaps working days; it cannot drop a holiday the law fixes. A swapped
/// working day is a weekend day worked, a compensatory day off a weekday not worked: anything else has no effect and is a typo.
/// </summary>
public static class CalendarYearRules
{
    private const string Source = "Bộ luật Lao động 2019, Điều 112 khoản 1";

    /// <summary>Tết's five days lie within this many days of lunar 1/1 in any placement seen (2024: six days before to four after).</summary>
    public const int TetWindowDays = 10;

    public const int TetDays = 5;

    /// <summary>The holidays whose date the law itself fixes (solar dates, and Hùng Kings on the lunar date).</summary>
    public static IReadOnlyList<(DateOnly Date, string Name)> FixedHolidays(int year) =>
    [
        (new DateOnly(year, 1, 1), "Tết Dương lịch"),
        (LunarCalendar.ToSolar(year, 3, 10), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        (new DateOnly(year, 4, 30), "Ngày Chiến thắng"),
        (new DateOnly(year, 5, 1), "Ngày Quốc tế Lao động"),
        (new DateOnly(year, 9, 2), "Quốc khánh"),
    ];

    public static IReadOnlyList<CalendarYearProblem> Check(int year, IReadOnlyList<(int Index, CalendarEntry Entry)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var problems = new List<CalendarYearProblem>();
        var seen = new Dictionary<DateOnly, int>();
        foreach (var (i, e) in entries)
        {
            if (e.Date.Year != year)
            {
                problems.Add(new(i, "date", F($"Ngày {e.Date:dd/MM/yyyy} không thuộc năm {year}.")));
                continue;
            }
            if (seen.TryGetValue(e.Date, out var first))
            {
                problems.Add(new(i, "date", F($"Ngày {e.Date:dd/MM/yyyy} đã có ở entries[{first}]: mỗi ngày chỉ một dòng.")));
                continue;
            }
            seen[e.Date] = i;
            var weekend = e.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (e.Kind == CalendarEntryKind.SwappedWorkingDay && !weekend)
                problems.Add(new(i, "kind", F($"Ngày làm bù (SwappedWorkingDay) phải là thứ Bảy hoặc Chủ nhật; {e.Date:dd/MM/yyyy} là ngày thường.")));
            if (e.Kind == CalendarEntryKind.CompensatoryDayOff && weekend)
                problems.Add(new(i, "kind", F($"Ngày nghỉ bù, nghỉ hoán đổi (CompensatoryDayOff) phải là ngày từ thứ Hai đến thứ Sáu; {e.Date:dd/MM/yyyy} là ngày nghỉ cuối tuần.")));
        }

        var byDate = entries.Where(x => x.Entry.Date.Year == year).GroupBy(x => x.Entry.Date).ToDictionary(g => g.Key, g => g.First());
        foreach (var (date, name) in FixedHolidays(year))
        {
            if (!byDate.TryGetValue(date, out var found))
                problems.Add(new(null, "", F($"Thiếu ngày lễ {date:dd/MM/yyyy} ({name}) — {Source}.")));
            else if (found.Entry.Kind != CalendarEntryKind.Holiday)
                problems.Add(new(found.Index, "kind", F($"{date:dd/MM/yyyy} là ngày lễ {name} ({Source}): loại phải là Holiday.")));
        }
        if (!IsHoliday(byDate, new DateOnly(year, 9, 1)) && !IsHoliday(byDate, new DateOnly(year, 9, 3)))
            problems.Add(new(null, "", F($"Quốc khánh được nghỉ 2 ngày: 02/09 và một ngày liền kề, 01/09 hoặc 03/09 (loại Holiday) — {Source}.")));

        var tet = LunarCalendar.ToSolar(year, 1, 1);
        var tetHolidays = byDate.Values.Count(x => x.Entry.Kind == CalendarEntryKind.Holiday && Math.Abs(x.Entry.Date.DayNumber - tet.DayNumber) <= TetWindowDays);
        if (tetHolidays < TetDays)
            problems.Add(new(null, "", F($"Tết Nguyên đán được nghỉ {TetDays} ngày (loại Holiday) quanh mùng 1 Tết {tet:dd/MM/yyyy}; danh sách có {tetHolidays} — {Source}.")));
        return problems;
    }

    private static bool IsHoliday(Dictionary<DateOnly, (int Index, CalendarEntry Entry)> byDate, DateOnly d) =>
        byDate.TryGetValue(d, out var x) && x.Entry.Kind == CalendarEntryKind.Holiday;

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
