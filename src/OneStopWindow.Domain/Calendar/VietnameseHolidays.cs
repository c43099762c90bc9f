using System.Globalization;

namespace OneStopWindow.Domain.Calendar;

/// <summary>
/// Statutory public holidays in their default placement and the default compensation of a holiday that
/// falls on a weekly rest day. The government's yearly notice may place Tết and the day beside National
/// Day differently and swap working days; such a notice replaces the default compensation for its year.
/// </summary>
public static class VietnameseHolidays
{
    private const string Holidays = "Bộ luật Lao động 2019, Điều 112";
    private const string Compensation = "Bộ luật Lao động 2019, Điều 111 khoản 3";

    /// <summary>The 11 paid holidays of Labour Code 2019 Art. 112(1).</summary>
    public static IReadOnlyList<CalendarEntry> Statutory(int year)
    {
        var tet = LunarCalendar.ToSolar(year, 1, 1);
        var list = new List<CalendarEntry>
        {
            new(new DateOnly(year, 1, 1), CalendarEntryKind.Holiday, "Tết Dương lịch", Holidays),
            // Art. 112(1)(b) gives Tết 5 days and lets the Prime Minister place them (Art. 112(3)); by
            // default the last day of the old lunar year and days 1–4 of the new one.
            new(tet.AddDays(-1), CalendarEntryKind.Holiday, "Tết Nguyên đán (ngày cuối năm âm lịch)", Holidays),
        };
        for (var i = 0; i < 4; i++)
            list.Add(new(tet.AddDays(i), CalendarEntryKind.Holiday, $"Tết Nguyên đán (mùng {i + 1})", Holidays));
        list.Add(new(LunarCalendar.ToSolar(year, 3, 10), CalendarEntryKind.Holiday, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", Holidays));
        list.Add(new(new DateOnly(year, 4, 30), CalendarEntryKind.Holiday, "Ngày Chiến thắng", Holidays));
        list.Add(new(new DateOnly(year, 5, 1), CalendarEntryKind.Holiday, "Ngày Quốc tế Lao động", Holidays));
        // Art. 112(1)(đ): 2 Sep and the day before or after, as the Prime Minister decides; before by default.
        list.Add(new(new DateOnly(year, 9, 1), CalendarEntryKind.Holiday, "Quốc khánh (ngày liền kề)", Holidays));
        list.Add(new(new DateOnly(year, 9, 2), CalendarEntryKind.Holiday, "Quốc khánh", Holidays));
        return list.OrderBy(e => e.Date).ToList();
    }

    /// <summary>
    /// A holiday on a Saturday or Sunday gives a day off on the next working day (Labour Code 2019
    /// Art. 111(3)): the next Monday–Friday that is neither a holiday nor already taken by an earlier compensation.
    /// </summary>
    public static IReadOnlyList<CalendarEntry> DefaultCompensation(IReadOnlyList<CalendarEntry> statutory)
    {
        var holidays = statutory.Where(e => e.Kind == CalendarEntryKind.Holiday).Select(e => e.Date).ToHashSet();
        var taken = new HashSet<DateOnly>();
        var result = new List<CalendarEntry>();
        foreach (var h in statutory.Where(e => e.Kind == CalendarEntryKind.Holiday && IsWeekend(e.Date)).OrderBy(e => e.Date))
        {
            var day = h.Date.AddDays(1);
            while (IsWeekend(day) || holidays.Contains(day) || taken.Contains(day)) day = day.AddDays(1);
            taken.Add(day);
            var name = string.Create(CultureInfo.InvariantCulture, $"Nghỉ bù {h.Name}, rơi vào {DayName(h.Date)} {h.Date:dd'/'MM}");
            result.Add(new(day, CalendarEntryKind.CompensatoryDayOff, name, Compensation));
        }
        return result;
    }

    /// <summary>
    /// The calendar entries of a year. Without a notice: statutory holidays plus default compensation.
    /// With one: statutory holidays plus the notice, which replaces the default compensation; an entry of
    /// the notice replaces a computed one on the same date, and a notice that lists its own Tết days or its
    /// own day beside 2 Sep replaces the default placement of that whole group (Art. 112(3)).
    /// </summary>
    public static IReadOnlyList<CalendarEntry> ForYear(int year, IReadOnlyList<CalendarEntry>? announced)
    {
        var statutory = Statutory(year);
        if (announced is null) return statutory.Concat(DefaultCompensation(statutory)).OrderBy(e => e.Date).ToList();

        var repeated = announced.GroupBy(e => e.Date).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The notice lists {repeated.Key:yyyy-MM-dd} more than once."), nameof(announced));

        var tet = LunarCalendar.ToSolar(year, 1, 1);
        bool IsTet(DateOnly d) => Math.Abs(d.DayNumber - tet.DayNumber) <= 10;
        static bool BesideNationalDay(DateOnly d) => d is { Month: 9, Day: 1 or 3 };

        var placed = announced.Where(e => e.Kind == CalendarEntryKind.Holiday).Select(e => e.Date).ToList();
        var tetPlaced = placed.Any(IsTet);
        var nationalDayPlaced = placed.Any(BesideNationalDay);
        var dates = announced.Select(e => e.Date).ToHashSet();
        var kept = statutory.Where(e => !dates.Contains(e.Date)
                                        && !(tetPlaced && IsTet(e.Date))
                                        && !(nationalDayPlaced && BesideNationalDay(e.Date)));
        return kept.Concat(announced).OrderBy(e => e.Date).ToList();
    }

    private static bool IsWeekend(DateOnly d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static string DayName(DateOnly d) => d.DayOfWeek == DayOfWeek.Sunday ? "Chủ nhật" : "thứ Bảy";
}
