using System.Globalization;
using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Features.Calendar;

/// <param name="Number">Number and symbol of the notice, e.g. `9441/TB-BNV`.</param>
/// <param name="Date">The day it was issued (yyyy-MM-dd).</param>
/// <param name="Title">Issuer and subject.</param>
public sealed record CalendarNoticeRequest(string? Number, string? Date, string? Title);

/// <param name="Date">yyyy-MM-dd, inside the year.</param>
/// <param name="Kind">`Holiday`, `CompensatoryDayOff` (a weekday off) or `SwappedWorkingDay` (a Saturday or Sunday worked).</param>
/// <param name="Source">The law or notice this day comes from; default: the notice.</param>
public sealed record CalendarEntryRequest(string? Date, string? Kind, string? Name, string? Source);

/// <param name="Notice">The government notice the schedule comes from (required: it ends the year's provisional state).</param>
/// <param name="Entries">Every dated day of the year (not a difference): the holidays of Labour Code 2019 Art. 112(1) placed as the
/// notice says, compensatory days off and swapped working days. Days not listed count by their weekday.</param>
public sealed record ReplaceCalendarYearRequest(CalendarNoticeRequest? Notice, IReadOnlyList<CalendarEntryRequest>? Entries);

public sealed record ReplaceCalendarYear(int Year, ReplaceCalendarYearRequest Request, Caller Caller) : ICommand<CalendarYearResponse>, IValidatable
{
    public const int MaxEntries = 100;

    public IEnumerable<FieldError> Validate()
    {
        foreach (var e in new GetCalendarYear(Year).Validate()) yield return e;
        var n = Request.Notice;
        if (n is null) yield return new("notice", "Ghi thông báo của Chính phủ làm căn cứ (số, ngày, trích yếu).");
        else
        {
            if (string.IsNullOrWhiteSpace(n.Number) || n.Number.Trim().Length > 100) yield return new("notice.number", "Ghi số, ký hiệu văn bản (tối đa 100 ký tự).");
            if (ParseDate(n.Date) is null) yield return new("notice.date", "Ngày ban hành theo dạng yyyy-MM-dd.");
            if (string.IsNullOrWhiteSpace(n.Title) || n.Title.Trim().Length > 1000) yield return new("notice.title", "Ghi trích yếu, cơ quan ban hành (tối đa 1000 ký tự).");
        }
        var entries = Request.Entries;
        if (entries is null || entries.Count == 0)
        {
            yield return new("entries", "Liệt kê các ngày của năm (ngày lễ, nghỉ bù, làm bù).");
            yield break;
        }
        if (entries.Count > MaxEntries) yield return new("entries", $"Tối đa {MaxEntries} ngày.");
        var parsed = new List<(int, CalendarEntry)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var date = ParseDate(e?.Date);
            var kind = CalendarKinds.Parse(e?.Kind);
            if (date is null) yield return new($"entries[{i}].date", "Ngày theo dạng yyyy-MM-dd.");
            if (kind is null) yield return new($"entries[{i}].kind", $"Loại ngày phải là một trong: {string.Join(", ", CalendarKinds.Names)}.");
            if (string.IsNullOrWhiteSpace(e?.Name) || e.Name.Trim().Length > 200) yield return new($"entries[{i}].name", "Ghi tên ngày (tối đa 200 ký tự).");
            if (e?.Source is { Length: > 500 }) yield return new($"entries[{i}].source", "Nguồn tối đa 500 ký tự.");
            if (date is { } d && kind is { } k) parsed.Add((i, new CalendarEntry(d, k, e!.Name ?? "", "")));
        }
        if (Year is < CalendarSeed.FirstYear or > GetCalendarYear.LastYear) yield break;
        foreach (var p in CalendarYearRules.Check(Year, parsed))
            yield return new(p.Index is { } at ? $"entries[{at}].{p.Field}" : "entries", p.Message);
    }

    /// <summary>The entries to store, once <see cref="Validate"/> passed.</summary>
    internal IReadOnlyList<StoredCalendarEntry> Entries(CalendarNotice notice) => Request.Entries!
        .Select(e => new StoredCalendarEntry
        {
            WorkDate = ParseDate(e.Date)!.Value,
            Kind = e.Kind!,
            Name = e.Name!.Trim(),
            SourceNote = string.IsNullOrWhiteSpace(e.Source) ? notice.Citation : e.Source.Trim(),
        })
        .OrderBy(e => e.WorkDate).ToList();

    internal CalendarNotice Notice() =>
        new(Request.Notice!.Number!.Trim(), ParseDate(Request.Notice.Date)!.Value, Request.Notice.Title!.Trim());

    private static DateOnly? ParseDate(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

/// <summary>
/// An administrator records a year's schedule from the government's notice: the year's entries are replaced, the year stops
/// being provisional, the calendar version moves on and the change is audited (who, when, which notice, which days). Deadlines
/// already promised are not moved; where a promised date became a day off the dossier core asks the officer for a delay
/// notice (<see cref="WorkingCalendarChanged"/>). The same entries and notice again change nothing.
/// </summary>
public sealed class ReplaceCalendarYearHandler(Db db, TimeProvider clock, WorkingCalendarProvider calendars, IPublisher publisher)
    : ICommandHandler<ReplaceCalendarYear, CalendarYearResponse>
{
    public async ValueTask<CalendarYearResponse> Handle(ReplaceCalendarYear cmd, CancellationToken ct)
    {
        var notice = cmd.Notice();
        var now = clock.GetUtcNow();
        if (notice.Date > Appointment.DateInVietnam(now))
            throw ProblemException.Validation([new("notice.date", "Ngày ban hành không thể sau hôm nay.")]);
        var after = cmd.Entries(notice);
        var changed = false;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            await CalendarStore.LockAsync(tx);
            var state = await CalendarStore.YearAsync(tx, cmd.Year);
            var before = await CalendarStore.EntriesAsync(tx, cmd.Year);
            if (state?.Notice != notice || CalendarStore.Diff(before, after).Count > 0)
            {
                await CalendarStore.RecordAsync(tx, cmd.Year, before, after, notice, CalendarStore.Changes.Replaced, cmd.Caller.Id, now);
                changed = true;
            }
            await tx.CommitAsync();
        }
        var snapshot = await calendars.RefreshAsync(ct);   // this node computes with the new calendar at once
        if (changed) await publisher.Publish(new WorkingCalendarChanged(cmd.Year), ct);
        return GetCalendarYearHandler.View(snapshot, cmd.Year)!;
    }
}
