using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Domain.Tests.Calendar;

public sealed class LunarCalendarTests
{
    // Published Vietnamese Lunar New Year dates (Tết Nguyên đán, lunar 1/1).
    [Theory]
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
    public void Tet_falls_on_the_published_date(int year, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LunarCalendar.ToSolar(year, 1, 1));

    [Theory]
    [InlineData(2024, "2024-04-18")]
    [InlineData(2025, "2025-04-07")]
    [InlineData(2026, "2026-04-26")]
    public void Hung_Kings_day_is_the_tenth_of_the_third_lunar_month(int year, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LunarCalendar.ToSolar(year, 3, 10));

    [Fact]
    public void Converting_there_and_back_gives_the_same_day_for_every_day_2024_to_2036()
    {
        for (var d = new DateOnly(2024, 1, 1); d < new DateOnly(2036, 1, 1); d = d.AddDays(1))
        {
            var (y, m, day, leap) = LunarCalendar.FromSolar(d);
            Assert.Equal(d, LunarCalendar.ToSolar(y, m, day, leap));
        }
    }

    [Fact]
    public void The_2025_leap_sixth_month_is_found()
    {
        // Ất Tỵ 2025 had a leap 6th month (nhuận tháng 6), starting 25 Jul 2025.
        Assert.Equal((2025, 6, 1, true), LunarCalendar.FromSolar(new DateOnly(2025, 7, 25)));
    }

    [Fact]
    public void The_UTC8_calendar_of_dotnet_agrees_on_Tet_2025_to_2035_except_2030()
    {
        var chinese = new System.Globalization.ChineseLunisolarCalendar();
        var differ = new List<int>();
        for (var year = 2025; year <= 2035; year++)
        {
            var china = DateOnly.FromDateTime(chinese.ToDateTime(year, 1, 1, 0, 0, 0, 0));
            if (china != LunarCalendar.ToSolar(year, 1, 1)) differ.Add(year);
        }
        Assert.Equal([2030], differ);
    }
}
