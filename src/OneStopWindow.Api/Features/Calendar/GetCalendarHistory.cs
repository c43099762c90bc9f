using System.Text.Json;
using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Calendar;

/// <param name="Before">The day's entry before the change (null: none, an ordinary day by its weekday).</param>
/// <param name="After">The day's entry after it (null: removed).</param>
public sealed record CalendarDayChangeResponse(DateOnly Date, CalendarDayState? Before, CalendarDayState? After);

/// <summary>One change of a year of the calendar: who, when, under which notice, which days.</summary>
/// <param name="Version">The calendar version the change created.</param>
/// <param name="Change">`filled` (default rule, provisional), `adopted` (rows kept from before the calendar was administered),
/// `seed-notice` (a notice shipped with the release) or `replaced` (an administrator, with a notice).</param>
/// <param name="RecordedBy">The administrator's id, or `seed`.</param>
public sealed record CalendarRevisionResponse(int Version, int Year, string Change, CalendarNoticeResponse? Notice, string RecordedBy,
    DateTimeOffset RecordedAt, IReadOnlyList<CalendarDayChangeResponse> Changes);

public sealed record GetCalendarHistory(int Year) : IQuery<IReadOnlyList<CalendarRevisionResponse>>, IValidatable
{
    public IEnumerable<FieldError> Validate() => new GetCalendarYear(Year).Validate();
}

public sealed class GetCalendarHistoryHandler(Db db) : IQueryHandler<GetCalendarHistory, IReadOnlyList<CalendarRevisionResponse>>
{
    public async ValueTask<IReadOnlyList<CalendarRevisionResponse>> Handle(GetCalendarHistory query, CancellationToken ct)
    {
        var rows = await db.QueryAsync<Row>(Sql.History, new { query.Year }, ct);
        if (rows.Count == 0) throw ProblemException.NotFound($"lịch sử lịch làm việc năm {query.Year}");
        return rows.Select(r => new CalendarRevisionResponse(r.Version, r.YearNumber, r.ChangeKind,
            r.NoticeNumber is null ? null : new CalendarNoticeResponse(r.NoticeNumber, r.NoticeDate ?? default, r.NoticeTitle ?? ""), r.RecordedBy, r.RecordedAt,
            (JsonSerializer.Deserialize<List<CalendarDayChange>>(r.Changes, JsonSerializerOptions.Web) ?? [])
                .Select(c => new CalendarDayChangeResponse(c.Date, c.Before, c.After)).ToList())).ToList();
    }

    private sealed record Row
    {
        public int Version { get; init; }
        public int YearNumber { get; init; }
        public string ChangeKind { get; init; } = "";
        public string? NoticeNumber { get; init; }
        public DateOnly? NoticeDate { get; init; }
        public string? NoticeTitle { get; init; }
        public string RecordedBy { get; init; } = "";
        public DateTimeOffset RecordedAt { get; init; }
        public string Changes { get; init; } = "[]";
    }

    internal static class Sql
    {
        public const string History = """
            SELECT version, year_number, change_kind, notice_number, notice_date, notice_title, recorded_by, recorded_at, changes
            FROM calendar_revision WHERE year_number = @Year ORDER BY version
            """;
    }
}
