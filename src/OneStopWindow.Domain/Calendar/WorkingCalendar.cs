namespace OneStopWindow.Domain.Calendar;

public enum CalendarEntryKind
{
    /// <summary>A statutory public holiday (Labour Code 2019 Art. 112).</summary>
    Holiday,

    /// <summary>A weekday off: compensation for a holiday on a rest day, or the weekday side of a swap.</summary>
    CompensatoryDayOff,

    /// <summary>A Saturday (or Sunday) worked in exchange for a weekday off.</summary>
    SwappedWorkingDay,
}

public sealed record CalendarEntry(DateOnly Date, CalendarEntryKind Kind, string Name, string Source);

/// <summary>
/// Working days for one-stop deadlines: Monday–Friday, minus holidays and compensatory days off, plus
/// swapped working Saturdays. The entries are data (announced each year), never hard-coded.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<DateOnly, CalendarEntryKind> kinds;

    public WorkingCalendar(IEnumerable<CalendarEntry> entries)
    {
        Entries = entries.OrderBy(e => e.Date).ToList();
        kinds = new Dictionary<DateOnly, CalendarEntryKind>();
        foreach (var e in Entries) kinds[e.Date] = e.Kind;
    }

    public IReadOnlyList<CalendarEntry> Entries { get; }

    public bool IsWorkingDay(DateOnly day) => kinds.TryGetValue(day, out var kind)
        ? kind == CalendarEntryKind.SwappedWorkingDay
        : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public DateOnly NextWorkingDayOnOrAfter(DateOnly day)
    {
        while (!IsWorkingDay(day)) day = day.AddDays(1);
        return day;
    }

    /// <summary>The <paramref name="days"/>-th working day strictly after <paramref name="start"/>; 0 gives start itself.</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var day = start;
        while (days > 0)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) days--;
        }
        return day;
    }

    public int WorkingDaysBetween(DateOnly fromExclusive, DateOnly toInclusive)
    {
        var count = 0;
        for (var d = fromExclusive.AddDays(1); d <= toInclusive; d = d.AddDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }
}

/// <summary>The appointment (due) date of a dossier.</summary>
public static class Appointment
{
    /// <summary>Vietnam has used UTC+7 without daylight saving since 1975; fixed so no tzdata is needed.</summary>
    public static readonly TimeZoneInfo VietnamTime =
        TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Giờ Việt Nam (UTC+7)", "ICT");

    /// <summary>
    /// A period in days excludes its first day (Civil Code 2015 Art. 147), so the count starts after the
    /// receipt day; a dossier received on a non-working day or after office close counts from the next working day.
    /// </summary>
    public static DateOnly Due(DateTimeOffset receivedAt, int workingDays, WorkingCalendar calendar, TimeOnly officeClose)
    {
        var local = TimeZoneInfo.ConvertTime(receivedAt, VietnamTime);
        var receiptDay = DateOnly.FromDateTime(local.DateTime);
        var dayZero = calendar.IsWorkingDay(receiptDay) && TimeOnly.FromDateTime(local.DateTime) < officeClose
            ? receiptDay
            : calendar.NextWorkingDayOnOrAfter(receiptDay.AddDays(1));
        return calendar.AddWorkingDays(dayZero, workingDays);
    }
}
