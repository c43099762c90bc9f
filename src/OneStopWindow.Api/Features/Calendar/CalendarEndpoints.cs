using Microsoft.AspNetCore.Http.HttpResults;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Features.Calendar;

public sealed record CalendarDayResponse(DateOnly Date, string Kind, string Name, string Source);

/// <summary>A year of the working calendar used for every deadline: holidays, compensatory days off, swapped working Saturdays.</summary>
public sealed record CalendarYearResponse(int Year, int WorkingDays, IReadOnlyList<CalendarDayResponse> Entries);

public static class CalendarEndpoints
{
    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/calendar/{year:int}", GetYear).WithTags("Working calendar").AllowAnonymous()
            .WithName("GetWorkingCalendar")
            .WithSummary("The working-day calendar of one year")
            .WithDescription("Public: anyone may call. Statutory holidays (Labour Code 2019 Art. 112, lunar Tết and Hùng Kings computed for Vietnam's UTC+7) " +
                "and the announced compensatory days and swapped working Saturdays that deadlines are counted on.")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Ok<CalendarYearResponse>> GetYear(int year, WorkingCalendarProvider provider, CancellationToken ct)
    {
        if (year is < 2000 or > 2100)
            throw ProblemException.Validation([new FieldError("year", "Năm phải trong khoảng 2000–2100.")]);
        var calendar = await provider.GetAsync(ct);
        var first = new DateOnly(year, 1, 1);
        var entries = calendar.Entries.Where(e => e.Date.Year == year).OrderBy(e => e.Date)
            .Select(e => new CalendarDayResponse(e.Date, e.Kind.ToString(), e.Name, e.Source)).ToList();
        var workingDays = calendar.WorkingDaysBetween(first.AddDays(-1), new DateOnly(year, 12, 31));
        return TypedResults.Ok(new CalendarYearResponse(year, workingDays, entries));
    }
}
