namespace OneStopWindow.Domain.Calendar;

/// <summary>
/// Working days for one-stop deadlines: Monday–Friday, minus holidays and compensatory days off, plus
/// swapped working Saturdays. The entries are data (announced each year), never hard-coded.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<DateOnly, CalendarEntryKind> kinds = [];

    /// <param name="version">The stored calendar's version these entries are (0 = not stored); a dossier records the version its date was computed on.</param>
    public WorkingCalendar(IEnumerable<CalendarEntry> entries, int version = 0)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = entries.OrderBy(e => e.Date).ToList();
        foreach (var e in Entries) kinds[e.Date] = e.Kind;
        Version = version;
    }

    public IReadOnlyList<CalendarEntry> Entries { get; }

    /// <summary>The version of the administered calendar (table calendar_head) these entries were read at.</summary>
    public int Version { get; }

    /// <summary>The entry on <paramref name="d"/>, if any.</summary>
    public CalendarEntry? EntryOn(DateOnly d) => kinds.ContainsKey(d) ? Entries.First(e => e.Date == d) : null;

    public bool IsWorkingDay(DateOnly d) => kinds.TryGetValue(d, out var kind)
        ? kind == CalendarEntryKind.SwappedWorkingDay
        : d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public DateOnly NextWorkingDayOnOrAfter(DateOnly d)
    {
        while (!IsWorkingDay(d)) d = d.AddDays(1);
        return d;
    }

    /// <summary>The last working day strictly before <paramref name="d"/>.</summary>
    public DateOnly LastWorkingDayBefore(DateOnly d)
    {
        do d = d.AddDays(-1);
        while (!IsWorkingDay(d));
        return d;
    }

    /// <summary>The <paramref name="days"/>-th working day strictly after <paramref name="start"/>; 0 gives start itself.</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var d = start;
        while (days > 0)
        {
            d = d.AddDays(1);
            if (IsWorkingDay(d)) days--;
        }
        return d;
    }

    public int WorkingDaysBetween(DateOnly fromExclusive, DateOnly toInclusive)
    {
        var count = 0;
        for (var d = fromExclusive.AddDays(1); d <= toInclusive; d = d.AddDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }
}
