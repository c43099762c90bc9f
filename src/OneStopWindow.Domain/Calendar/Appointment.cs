namespace OneStopWindow.Domain.Calendar;

/// <summary>The appointment (due) date of a dossier.</summary>
public static class Appointment
{
    /// <summary>Vietnam has kept UTC+7 without daylight saving since 1975; a fixed zone needs no tzdata.</summary>
    public static readonly TimeZoneInfo VietnamTime =
        TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Giờ Việt Nam (UTC+7)", "Giờ Việt Nam (UTC+7)");

    /// <summary>The calendar day in Vietnam at <paramref name="instant"/> (the day a dated rule is read on).</summary>
    public static DateOnly DateInVietnam(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, VietnamTime).DateTime);

    /// <summary>
    /// A period in days excludes its first day (Civil Code 2015 Art. 147), so the count starts after day 0:
    /// the receipt date when it is a working day and the dossier came before office close, else the next working day.
    /// </summary>
    public static DateOnly Due(DateTimeOffset receivedAt, int workingDays, WorkingCalendar calendar, TimeOnly officeClose)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        return calendar.AddWorkingDays(DayZero(receivedAt, calendar, officeClose), workingDays);
    }

    /// <summary>The day a period counts from: the receipt date when a working day before office close, else the next working day.</summary>
    public static DateOnly DayZero(DateTimeOffset receivedAt, WorkingCalendar calendar, TimeOnly officeClose)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var local = TimeZoneInfo.ConvertTime(receivedAt, VietnamTime).DateTime;
        var receiptDate = DateOnly.FromDateTime(local);
        return calendar.IsWorkingDay(receiptDate) && TimeOnly.FromDateTime(local) < officeClose
            ? receiptDate
            : calendar.NextWorkingDayOnOrAfter(receiptDate.AddDays(1));
    }
}
