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

/// <summary>One dated day of the calendar; <see cref="Source"/> names the law or notice it comes from.</summary>
public sealed record CalendarEntry(DateOnly Date, CalendarEntryKind Kind, string Name, string Source);
