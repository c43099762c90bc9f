using Mediator;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Calendar;

/// <param name="Kind">`Holiday` (Labour Code 2019 Art. 112), `CompensatoryDayOff` (a weekday off) or `SwappedWorkingDay` (a weekend day worked).</param>
/// <param name="Source">The law or notice the day comes from.</param>
public sealed record CalendarDayResponse(DateOnly Date, string Kind, string Name, string Source);

/// <param name="Number">Number and symbol, e.g. `9441/TB-BNV`.</param>
public sealed record CalendarNoticeResponse(string Number, DateOnly Date, string Title)
{
    public static CalendarNoticeResponse? From(CalendarNotice? n) => n is null ? null : new(n.Number, n.Date, n.Title);
}

/// <summary>A stored row the service could not read (unknown kind): left out of every deadline until the year is replaced.</summary>
public sealed record UnreadableCalendarDayResponse(DateOnly Date, string StoredKind);

/// <summary>A year of the working calendar used for every deadline: holidays, compensatory days off, swapped working Saturdays.</summary>
/// <param name="Provisional">True until the government's notice for the year is recorded: the days are the default rule's guess
/// (Labour Code 2019 Art. 112(3): the Prime Minister decides each year's schedule).</param>
/// <param name="Notice">The notice the year's schedule comes from, once recorded.</param>
/// <param name="CalendarVersion">The version of the whole calendar this answer was read at (a dossier's appointment date records the version it was computed on).</param>
/// <param name="ChangedInVersion">The calendar version in which this year last changed.</param>
public sealed record CalendarYearResponse(int Year, bool Provisional, CalendarNoticeResponse? Notice, int CalendarVersion, int ChangedInVersion,
    int WorkingDays, IReadOnlyList<CalendarDayResponse> Entries, IReadOnlyList<UnreadableCalendarDayResponse> UnreadableEntries);

public sealed record GetCalendarYear(int Year) : IQuery<CalendarYearResponse>, IValidatable
{
    public const int LastYear = 2100;

    public IEnumerable<FieldError> Validate()
    {
        if (Year is < CalendarSeed.FirstYear or > LastYear)
            yield return new("year", $"Năm phải trong khoảng {CalendarSeed.FirstYear}–{LastYear}.");
    }
}

public sealed class GetCalendarYearHandler(WorkingCalendarProvider calendars) : IQueryHandler<GetCalendarYear, CalendarYearResponse>
{
    public async ValueTask<CalendarYearResponse> Handle(GetCalendarYear query, CancellationToken ct) =>
        View(await calendars.GetSnapshotAsync(ct), query.Year) ?? throw ProblemException.NotFound($"lịch làm việc năm {query.Year}");

    /// <summary>The year as the snapshot holds it; null when the calendar does not hold it yet.</summary>
    public static CalendarYearResponse? View(CalendarSnapshot snapshot, int year)
    {
        var calendar = snapshot.Calendar;
        var entries = calendar.Entries.Where(e => e.Date.Year == year).Select(e => new CalendarDayResponse(e.Date, e.Kind.ToString(), e.Name, e.Source)).ToList();
        var unreadable = snapshot.Unreadable.Where(u => u.Date.Year == year).Select(u => new UnreadableCalendarDayResponse(u.Date, u.Kind)).ToList();
        var state = snapshot.Years.GetValueOrDefault(year);
        if (state is null && entries.Count == 0 && unreadable.Count == 0) return null;
        var workingDays = calendar.WorkingDaysBetween(new DateOnly(year, 1, 1).AddDays(-1), new DateOnly(year, 12, 31));
        return new(year, state?.Provisional ?? true, CalendarNoticeResponse.From(state?.Notice), snapshot.Version, state?.Version ?? 0, workingDays, entries, unreadable);
    }
}
