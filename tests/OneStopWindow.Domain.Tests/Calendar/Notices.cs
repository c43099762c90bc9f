using System.Globalization;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Domain.Tests.Calendar;

/// <summary>The announced schedules as seeded in the API's calendar-notices.json.</summary>
internal static class Notices
{
    public static DateOnly D(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);

    // Notice 6150/TB-BLĐTBXH: Tết placed Mon 27 – Fri 31 Jan; Fri 2 May swapped with Sat 26 Apr.
    public static readonly IReadOnlyList<CalendarEntry> Year2025 =
    [
        new(D("2025-01-27"), CalendarEntryKind.Holiday, "Tết Nguyên đán (28 tháng Chạp)", "6150/TB-BLĐTBXH"),
        new(D("2025-01-28"), CalendarEntryKind.Holiday, "Tết Nguyên đán (ngày cuối năm âm lịch)", "6150/TB-BLĐTBXH"),
        new(D("2025-01-29"), CalendarEntryKind.Holiday, "Tết Nguyên đán (mùng 1)", "6150/TB-BLĐTBXH"),
        new(D("2025-01-30"), CalendarEntryKind.Holiday, "Tết Nguyên đán (mùng 2)", "6150/TB-BLĐTBXH"),
        new(D("2025-01-31"), CalendarEntryKind.Holiday, "Tết Nguyên đán (mùng 3)", "6150/TB-BLĐTBXH"),
        new(D("2025-04-26"), CalendarEntryKind.SwappedWorkingDay, "Làm bù thứ Bảy", "6150/TB-BLĐTBXH"),
        new(D("2025-05-02"), CalendarEntryKind.CompensatoryDayOff, "Nghỉ hoán đổi", "6150/TB-BLĐTBXH"),
    ];

    // Notice 9441/TB-BNV (Tết Mon 16 – Fri 20 Feb is the default placement; Mon 31 Aug swapped with Sat 22 Aug),
    // dispatch 12729/VPCP-KGVX (Fri 2 Jan swapped with Sat 10 Jan), Hùng Kings on Sunday 26 Apr compensated Mon 27 Apr.
    public static readonly IReadOnlyList<CalendarEntry> Year2026 =
    [
        new(D("2026-01-02"), CalendarEntryKind.CompensatoryDayOff, "Nghỉ hoán đổi", "12729/VPCP-KGVX"),
        new(D("2026-01-10"), CalendarEntryKind.SwappedWorkingDay, "Làm bù thứ Bảy", "12729/VPCP-KGVX"),
        new(D("2026-04-27"), CalendarEntryKind.CompensatoryDayOff, "Nghỉ bù", "BLLĐ 2019 Điều 111"),
        new(D("2026-08-22"), CalendarEntryKind.SwappedWorkingDay, "Làm bù thứ Bảy", "9441/TB-BNV"),
        new(D("2026-08-31"), CalendarEntryKind.CompensatoryDayOff, "Nghỉ hoán đổi", "9441/TB-BNV"),
    ];

    public static readonly WorkingCalendar Announced = new(
        [.. VietnameseHolidays.ForYear(2025, Year2025), .. VietnameseHolidays.ForYear(2026, Year2026)]);
}
