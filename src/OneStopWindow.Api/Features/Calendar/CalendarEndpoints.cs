using System.Globalization;
using System.Text.Json.Nodes;
using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Features.Calendar;

public static class CalendarEndpoints
{
    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/calendar").WithTags("Working calendar");
        group.MapGet("/{year:int}", async (int year, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetCalendarYear(year), ct)))
            .AllowAnonymous()
            .WithName("GetWorkingCalendar")
            .WithSummary("The working-day calendar of one year, and whether it is still provisional")
            .WithDescription("Public: anyone may call. Statutory holidays (Labour Code 2019 Art. 112, lunar Tết and Hùng Kings computed for Vietnam's UTC+7) " +
                "and the announced compensatory days and swapped working Saturdays that deadlines are counted on. `provisional` is true until the " +
                "government's notice for the year is recorded (Art. 112(3): the Prime Minister decides each year's schedule; the default rule is a guess). " +
                $"The calendar always reaches {CalendarSeed.YearsAhead} years past the current one; a year it does not hold yet answers 404. " +
                "A change reaches the node that recorded it at once and every other node within a minute.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{year:int}", async (int year, ReplaceCalendarYearRequest request, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ReplaceCalendarYear(year, request, Caller.From(http.User)), ct)))
            .RequireAuthorization(Policies.Administrator)
            .WithName("ReplaceWorkingCalendarYear").WithRequestExample(() => ReplaceExample(ExampleYear))
            .WithSummary("Record a year's schedule from the government's notice (replaces the year's entries)")
            .WithDescription("Administrators. The whole year's dated days with the notice they come from; the year stops being provisional, the " +
                "calendar version moves on and the change is kept in the year's history. Checked: kinds, dates inside the year, one entry per day, " +
                "swapped working days on a weekend and days off on a weekday, and the holidays Labour Code 2019 Art. 112(1) fixes (1/1, 30/4, 1/5, " +
                "2/9 with 1/9 or 3/9, Hùng Kings, five days of Tết). Appointment dates already promised are not moved: where one became a day off, " +
                "the handling officer is asked for a delay notice (Form 04) on the dossier's timeline (`DelayNoticeNeeded`, staff only).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/{year:int}/history", async (int year, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetCalendarHistory(year), ct)))
            .RequireAuthorization(Policies.Administrator)
            .WithName("GetWorkingCalendarHistory")
            .WithSummary("Every change of one year of the calendar: who, when, which notice, which days")
            .WithDescription("Administrators. From the year's first computation (`filled`, provisional) through the seed's and the administrators' notices.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The year the OpenAPI example is for (its test records it; no other test uses that year).</summary>
    public const int ExampleYear = 2030;

    /// <summary>The default placement of the year as a notice would list it, under an example notice.</summary>
    public static JsonNode ReplaceExample(int year) => new JsonObject
    {
        ["notice"] = new JsonObject
        {
            ["number"] = "…/TB-BNV (ví dụ)",
            ["date"] = "2026-10-16",   // a notice is dated before it is recorded (a later date is refused)
            ["title"] = $"Ví dụ: Thông báo của Bộ Nội vụ về việc nghỉ Tết Âm lịch và dịp Quốc khánh 2/9 năm {year} đối với cán bộ, công chức, viên chức",
        },
        ["entries"] = new JsonArray([.. VietnameseHolidays.ForYear(year, null).Select(e => (JsonNode)new JsonObject
        {
            ["date"] = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["kind"] = e.Kind.ToString(),
            ["name"] = e.Name,
        })]),
    };
}
