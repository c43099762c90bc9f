using System.Globalization;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Domain.Tests.Calendar;

public sealed class LunarCalendarTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);

    // Published Vietnamese Lunar New Year dates (Tết Nguyên đán, lunar 1/1).
    [Theory]
    [InlineData(1985, "1985-01-21")]   // Vietnam a month before China (20 Feb): different leap month
    [InlineData(2007, "2007-02-17")]   // Vietnam (UTC+7) one day before China (UTC+8)
    [InlineData(2023, "2023-01-22")]
    [InlineData(2024, "2024-02-10")]
    [InlineData(2025, "2025-01-29")]
    [InlineData(2026, "2026-02-17")]
    [InlineData(2027, "2027-02-06")]
    [InlineData(2028, "2028-01-26")]
    [InlineData(2029, "2029-02-13")]
    [InlineData(2030, "2030-02-02")]   // new moon 2 Feb 2030 16:07 UTC: 23:07 in Hà Nội, 00:07 on 3 Feb in Beijing
    [InlineData(2031, "2031-01-23")]
    [InlineData(2032, "2032-02-11")]
    [InlineData(2033, "2033-01-31")]
    [InlineData(2034, "2034-02-19")]
    [InlineData(2035, "2035-02-08")]
    [InlineData(2053, "2053-02-18")]   // the next year Vietnam is a day ahead of China
    public void Tet_falls_on_the_published_date(int year, string expected) =>
        Assert.Equal(D(expected), LunarCalendar.ToSolar(year, 1, 1));

    [Theory]
    [InlineData(2022, "2022-04-10")]
    [InlineData(2023, "2023-04-29")]   // after a leap 2nd month
    [InlineData(2024, "2024-04-18")]
    [InlineData(2025, "2025-04-07")]
    [InlineData(2026, "2026-04-26")]
    public void Hung_Kings_day_is_the_tenth_of_the_third_lunar_month(int year, string expected) =>
        Assert.Equal(D(expected), LunarCalendar.ToSolar(year, 3, 10));

    [Fact]
    public void The_UTC8_calendar_of_dotnet_agrees_on_Tet_2025_to_2035_except_2030()
    {
        var chinese = new ChineseLunisolarCalendar();
        var differ = new List<int>();
        for (var year = 2025; year <= 2035; year++)
        {
            var china = DateOnly.FromDateTime(chinese.ToDateTime(year, 1, 1, 0, 0, 0, 0));
            if (china != LunarCalendar.ToSolar(year, 1, 1)) differ.Add(year);
        }
        Assert.Equal([2030], differ);
    }

    [Fact]
    public void Converting_there_and_back_gives_the_same_day_for_every_day_1901_to_2199()
    {
        for (var d = new DateOnly(1901, 1, 1); d < new DateOnly(2200, 1, 1); d = d.AddDays(1))
        {
            var (y, m, day, leap) = LunarCalendar.FromSolar(d);
            Assert.InRange(day, 1, 30);
            Assert.Equal(d, LunarCalendar.ToSolar(y, m, day, leap));
        }
    }

    [Theory]
    [InlineData("2054-05-07", 2054, 3, 30)]
    [InlineData("2062-04-09", 2062, 2, 30)]
    public void The_last_day_of_a_month_is_found_where_the_mean_moon_misleads(string date, int year, int month, int day) =>
        Assert.Equal((year, month, day, false), LunarCalendar.FromSolar(D(date)));

    [Theory]
    [InlineData("2025-07-25", 2025, 6, 1)]    // Ất Tỵ: leap 6th month
    [InlineData("2023-03-22", 2023, 2, 1)]    // Quý Mão: leap 2nd month
    public void A_leap_month_is_reported_as_such(string date, int year, int month, int day)
    {
        Assert.Equal((year, month, day, true), LunarCalendar.FromSolar(D(date)));
        Assert.Equal(D(date), LunarCalendar.ToSolar(year, month, day, leapMonth: true));
    }

    [Fact]
    public void The_days_of_the_old_year_before_Tet_belong_to_its_twelfth_month()
    {
        Assert.Equal((2025, 12, 29, false), LunarCalendar.FromSolar(D("2026-02-16")));
        Assert.Equal((2024, 12, 28, false), LunarCalendar.FromSolar(D("2025-01-27")));
    }

    [Fact]
    public void Impossible_lunar_dates_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LunarCalendar.ToSolar(2026, 3, 1, leapMonth: true));   // 2026 has no leap month
        Assert.Throws<ArgumentException>(() => LunarCalendar.ToSolar(2025, 5, 1, leapMonth: true));   // 2025's leap month is the 6th
        Assert.Throws<ArgumentOutOfRangeException>(() => LunarCalendar.ToSolar(2024, 12, 30));       // Giáp Thìn's 12th month has 29 days
        Assert.Throws<ArgumentOutOfRangeException>(() => LunarCalendar.ToSolar(2025, 13, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LunarCalendar.ToSolar(2025, 1, 0));
    }
}
