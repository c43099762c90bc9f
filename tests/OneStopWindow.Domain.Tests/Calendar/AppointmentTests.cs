using OneStopWindow.Domain.Calendar;
using static OneStopWindow.Domain.Tests.Calendar.Notices;

namespace OneStopWindow.Domain.Tests.Calendar;

public sealed class AppointmentTests
{
    private static readonly TimeOnly Close = new(17, 0);

    private static DateTimeOffset InVietnam(string date, int hour, int minute = 0) =>
        new(D(date).ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(7));

    [Fact]
    public void A_dossier_received_the_Friday_before_Tet_is_due_after_the_holiday()
    {
        // Fri 13 Feb 2026 is day 0; Sat 14 – Sun 22 Feb are off; 3 working days are Mon 23, Tue 24, Wed 25 Feb.
        Assert.Equal(D("2026-02-25"), Appointment.Due(InVietnam("2026-02-13", 10), 3, Announced, Close));
    }

    [Fact]
    public void After_office_close_the_count_starts_from_the_next_working_day()
    {
        // Fri 13 Feb 17:30: day 0 is Mon 23 Feb, so 3 working days end on Thu 26 Feb.
        Assert.Equal(D("2026-02-26"), Appointment.Due(InVietnam("2026-02-13", 17, 30), 3, Announced, Close));
        Assert.Equal(D("2026-02-25"), Appointment.Due(InVietnam("2026-02-13", 16, 59), 3, Announced, Close));
    }

    [Fact]
    public void A_dossier_received_on_a_day_off_counts_from_the_next_working_day()
    {
        Assert.Equal(D("2026-02-26"), Appointment.Due(InVietnam("2026-02-14", 9), 3, Announced, Close));   // Saturday in Tết
        Assert.Equal(D("2026-03-23"), Appointment.Due(InVietnam("2026-03-08", 9), 10, Announced, Close));  // Sunday
    }

    [Fact]
    public void The_receipt_date_is_the_date_in_Vietnam()
    {
        // 23:30 UTC on Thu 12 Feb is 06:30 on Fri 13 Feb in Hà Nội.
        var receivedAt = new DateTimeOffset(2026, 2, 12, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(D("2026-02-25"), Appointment.Due(receivedAt, 3, Announced, Close));
        // 10:30 UTC is 17:30 in Hà Nội: after close.
        Assert.Equal(D("2026-02-26"), Appointment.Due(new DateTimeOffset(2026, 2, 13, 10, 30, 0, TimeSpan.Zero), 3, Announced, Close));
    }

    [Fact]
    public void A_dossier_received_on_a_swapped_Saturday_counts_from_that_Saturday() =>
        Assert.Equal(D("2026-08-24"), Appointment.Due(InVietnam("2026-08-22", 9), 1, Announced, Close));

    [Fact]
    public void The_New_Year_swap_of_2026_moves_deadlines()
    {
        // Wed 31 Dec 2025 is day 0; Thu 1 Jan holiday, Fri 2 Jan swapped off; Mon 5 and Tue 6 Jan are worked.
        Assert.Equal(D("2026-01-06"), Appointment.Due(InVietnam("2025-12-31", 10), 2, Announced, Close));
        // Sat 10 Jan is worked in exchange.
        Assert.Equal(D("2026-01-10"), Appointment.Due(InVietnam("2026-01-09", 10), 1, Announced, Close));
    }

    [Fact]
    public void The_2025_notice_places_Tet_on_weekdays()
    {
        // Fri 24 Jan 2025: Mon 27 – Fri 31 Jan were Tết, so the first working day after is Mon 3 Feb.
        Assert.Equal(D("2025-02-03"), Appointment.Due(InVietnam("2025-01-24", 10), 1, Announced, Close));
        // Under the default placement Mon 27 Jan would have been worked.
        var defaults = new WorkingCalendar(VietnameseHolidays.ForYear(2025, null));
        Assert.Equal(D("2025-01-27"), Appointment.Due(InVietnam("2025-01-24", 10), 1, defaults, Close));
    }

    [Fact]
    public void Zero_working_days_is_due_on_day_zero()
    {
        Assert.Equal(D("2026-03-05"), Appointment.Due(InVietnam("2026-03-05", 9), 0, Announced, Close));
        Assert.Equal(D("2026-03-06"), Appointment.Due(InVietnam("2026-03-05", 18), 0, Announced, Close));
    }

    /// <summary>
    /// DOMAIN.md §5: a dossier received after office close starts the next working day; Civil Code 2015 Art. 147: day 0 is
    /// not counted. The closing hour is a setting: with 16:00, Tue 8 Dec 2026 at 16:30 counts from Wed 9 Dec (10 working days:
    /// Thu 10 … Wed 23 Dec); with the default 17:00 it counts from Tue 8 Dec (… Tue 22 Dec).
    /// </summary>
    [Fact]
    public void A_receipt_after_the_configured_closing_hour_counts_from_the_next_working_day()
    {
        var earlyClose = new OfficeHours(new TimeOnly(16, 0));
        Assert.Equal(D("2026-12-09"), Appointment.DayZero(InVietnam("2026-12-08", 16, 30), Announced, earlyClose.Close));
        Assert.Equal(D("2026-12-23"), Appointment.Due(InVietnam("2026-12-08", 16, 30), 10, Announced, earlyClose.Close));
        Assert.Equal(D("2026-12-08"), Appointment.DayZero(InVietnam("2026-12-08", 16, 30), Announced, OfficeHours.Default.Close));
        Assert.Equal(D("2026-12-22"), Appointment.Due(InVietnam("2026-12-08", 16, 30), 10, Announced, OfficeHours.Default.Close));
        Assert.Equal(new TimeOnly(17, 0), OfficeHours.Default.Close);
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 16, 0, 0, TimeSpan.FromHours(7)), earlyClose.ClosingOn(D("2026-12-08")));
    }

    [Fact]
    public void Vietnam_time_is_a_fixed_UTC_plus_7()
    {
        Assert.Equal(TimeSpan.FromHours(7), Appointment.VietnamTime.BaseUtcOffset);
        Assert.False(Appointment.VietnamTime.SupportsDaylightSavingTime);
    }
}
