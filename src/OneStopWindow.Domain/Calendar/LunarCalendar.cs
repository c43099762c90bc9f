namespace OneStopWindow.Domain.Calendar;

/// <summary>
/// The Vietnamese lunisolar calendar, computed astronomically for Vietnam's time zone (UTC+7) with
/// Hồ Ngọc Đức's published algorithm (new moons and solar terms after Meeus). .NET's
/// ChineseLunisolarCalendar uses UTC+8 and differs in some years (Tết 2007: 17 Feb in Vietnam, 18 Feb in China).
/// </summary>
public static class LunarCalendar
{
    private const double TimeZone = 7.0;
    private const double SynodicMonth = 29.530588853;
    private const double Epoch = 2415021.076998695;   // the new moon of 1 Jan 1900, in Julian days

    public static DateOnly ToSolar(int lunarYear, int lunarMonth, int lunarDay, bool leapMonth = false)
    {
        if (lunarMonth is < 1 or > 12) throw new ArgumentOutOfRangeException(nameof(lunarMonth), lunarMonth, "A lunar month is 1..12.");
        if (lunarDay is < 1 or > 30) throw new ArgumentOutOfRangeException(nameof(lunarDay), lunarDay, "A lunar day is 1..30.");
        int a11, b11;
        if (lunarMonth < 11) { a11 = LunarMonth11(lunarYear - 1); b11 = LunarMonth11(lunarYear); }
        else { a11 = LunarMonth11(lunarYear); b11 = LunarMonth11(lunarYear + 1); }
        var k = (int)Math.Floor(0.5 + (a11 - Epoch) / SynodicMonth);
        var off = lunarMonth - 11;
        if (off < 0) off += 12;
        if (b11 - a11 > 365)
        {
            var leapOff = LeapMonthOffset(a11);
            var leapMonthNumber = leapOff - 2;
            if (leapMonthNumber < 0) leapMonthNumber += 12;
            if (leapMonth && lunarMonth != leapMonthNumber)
                throw new ArgumentException($"Lunar year {lunarYear} has no leap month {lunarMonth}.", nameof(leapMonth));
            if (leapMonth || off >= leapOff) off += 1;
        }
        else if (leapMonth)
        {
            throw new ArgumentException($"Lunar year {lunarYear} has no leap month.", nameof(leapMonth));
        }
        var monthStart = NewMoonDay(k + off);
        if (lunarDay == 30 && NewMoonDay(k + off + 1) == monthStart + 29)
            throw new ArgumentOutOfRangeException(nameof(lunarDay), lunarDay, $"Lunar month {lunarMonth}/{lunarYear} has 29 days.");
        return FromJulianDay(monthStart + lunarDay - 1);
    }

    public static (int Year, int Month, int Day, bool LeapMonth) FromSolar(DateOnly date)
    {
        var dayNumber = ToJulianDay(date);
        // The published code tries only k + 1 and k from the mean-moon estimate; on 7 May 2054 and 9 Apr 2062
        // both start after the day and it answers "day 0", so step back until a month starts on or before it.
        var k = (int)Math.Floor((dayNumber - Epoch) / SynodicMonth) + 1;
        while (NewMoonDay(k) > dayNumber) k--;
        var monthStart = NewMoonDay(k);
        var a11 = LunarMonth11(date.Year);
        var b11 = a11;
        int lunarYear;
        if (a11 >= monthStart) { lunarYear = date.Year; a11 = LunarMonth11(date.Year - 1); }
        else { lunarYear = date.Year + 1; b11 = LunarMonth11(date.Year + 1); }
        var lunarDay = dayNumber - monthStart + 1;
        var diff = (int)Math.Floor((monthStart - a11) / 29.0);
        var leap = false;
        var lunarMonth = diff + 11;
        if (b11 - a11 > 365)
        {
            var leapMonthDiff = LeapMonthOffset(a11);
            if (diff >= leapMonthDiff)
            {
                lunarMonth = diff + 10;
                leap = diff == leapMonthDiff;
            }
        }
        if (lunarMonth > 12) lunarMonth -= 12;
        if (lunarMonth >= 11 && diff < 4) lunarYear -= 1;
        return (lunarYear, lunarMonth, lunarDay, leap);
    }

    private static int ToJulianDay(DateOnly d) => d.DayNumber + 1721426;   // DayNumber 0 = 1 Jan 0001 (proleptic Gregorian)

    private static DateOnly FromJulianDay(int jd) => DateOnly.FromDayNumber(jd - 1721426);

    /// <summary>Julian day of the k-th new moon after 1 Jan 1900 (Meeus, Astronomical Algorithms, ch. 49).</summary>
    private static double NewMoon(int k)
    {
        var t = k / 1236.85;
        var t2 = t * t;
        var t3 = t2 * t;
        const double dr = Math.PI / 180;
        var jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
                  + 0.00033 * Math.Sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
        var m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
        var mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
        var f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
        var c1 = (0.1734 - 0.000393 * t) * Math.Sin(m * dr) + 0.0021 * Math.Sin(2 * dr * m)
                 - 0.4068 * Math.Sin(mpr * dr) + 0.0161 * Math.Sin(dr * 2 * mpr)
                 - 0.0004 * Math.Sin(dr * 3 * mpr)
                 + 0.0104 * Math.Sin(dr * 2 * f) - 0.0051 * Math.Sin(dr * (m + mpr))
                 - 0.0074 * Math.Sin(dr * (m - mpr)) + 0.0004 * Math.Sin(dr * (2 * f + m))
                 - 0.0004 * Math.Sin(dr * (2 * f - m)) - 0.0006 * Math.Sin(dr * (2 * f + mpr))
                 + 0.0010 * Math.Sin(dr * (2 * f - mpr)) + 0.0005 * Math.Sin(dr * (2 * mpr + m));
        var deltaT = t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2;
        return jd1 + c1 - deltaT;
    }

    private static int NewMoonDay(int k) => (int)Math.Floor(NewMoon(k) + 0.5 + TimeZone / 24);

    /// <summary>Sun's ecliptic longitude (radians, 0..2π) at a Julian date.</summary>
    private static double SunLongitude(double jdn)
    {
        var t = (jdn - 2451545.0) / 36525;
        var t2 = t * t;
        const double dr = Math.PI / 180;
        var m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
        var l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * Math.Sin(dr * m)
                 + (0.019993 - 0.000101 * t) * Math.Sin(dr * 2 * m) + 0.000290 * Math.Sin(dr * 3 * m);
        var l = (l0 + dl) * dr;
        return l - Math.PI * 2 * Math.Floor(l / (Math.PI * 2));
    }

    /// <summary>Which of the 12 major solar terms (0..11) the day falls in.</summary>
    private static int SunSector(int dayNumber) => (int)Math.Floor(SunLongitude(dayNumber - 0.5 - TimeZone / 24) / Math.PI * 6);

    /// <summary>Julian day of the start of the 11th lunar month (the one containing the winter solstice) of a year.</summary>
    private static int LunarMonth11(int year)
    {
        var off = ToJulianDay(new DateOnly(year, 12, 31)) - 2415021;
        var k = (int)Math.Floor(off / SynodicMonth);
        var nm = NewMoonDay(k);
        return SunSector(nm) >= 9 ? NewMoonDay(k - 1) : nm;
    }

    /// <summary>In a 13-month year, the offset after month 11 of the first month without a major solar term (the leap month).</summary>
    private static int LeapMonthOffset(int a11)
    {
        var k = (int)Math.Floor((a11 - Epoch) / SynodicMonth + 0.5);
        var i = 1;
        var arc = SunSector(NewMoonDay(k + i));
        int last;
        do
        {
            last = arc;
            i++;
            arc = SunSector(NewMoonDay(k + i));
        }
        while (arc != last && i < 14);
        return i - 1;
    }
}
