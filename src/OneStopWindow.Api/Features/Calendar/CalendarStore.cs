using System.Text.Json;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Features.Calendar;

/// <summary>The government notice a year's schedule comes from (Labour Code 2019 Art. 112(3)).</summary>
/// <param name="Number">Its number and symbol, e.g. `9441/TB-BNV`.</param>
/// <param name="Date">The day it was issued.</param>
/// <param name="Title">What it is (issuer, subject).</param>
public sealed record CalendarNotice(string Number, DateOnly Date, string Title)
{
    /// <summary>How an entry names it when the entry gives no source of its own.</summary>
    public string Citation => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Thông báo {Number} ngày {Date:dd/MM/yyyy}");
}

/// <summary>A row of calendar_entry as stored: the kind as text, so a bad row can be reported instead of failing the read.</summary>
public sealed record StoredCalendarEntry
{
    public DateOnly WorkDate { get; init; }
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public string SourceNote { get; init; } = "";

    public static StoredCalendarEntry From(CalendarEntry e) => new() { WorkDate = e.Date, Kind = e.Kind.ToString(), Name = e.Name, SourceNote = e.Source };

    /// <summary>The entry, or null when the stored kind is not one of <see cref="CalendarEntryKind"/>.</summary>
    public CalendarEntry? ToEntry() => CalendarKinds.Parse(Kind) is { } kind ? new CalendarEntry(WorkDate, kind, Name, SourceNote) : null;
}

/// <summary>The kinds of <see cref="CalendarEntryKind"/> by their exact names: no numbers, no other spelling.</summary>
public static class CalendarKinds
{
    public static readonly IReadOnlyList<string> Names = Enum.GetNames<CalendarEntryKind>();

    public static CalendarEntryKind? Parse(string? kind) => kind is not null && Names.Contains(kind) ? Enum.Parse<CalendarEntryKind>(kind) : null;
}

/// <summary>The row of calendar_year: a year the calendar holds, and the notice recorded for it (none = provisional).</summary>
public sealed record CalendarYearRow
{
    public int YearNumber { get; init; }
    public string? NoticeNumber { get; init; }
    public DateOnly? NoticeDate { get; init; }
    public string? NoticeTitle { get; init; }
    public string RecordedBy { get; init; } = "";
    public int Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public CalendarNotice? Notice => NoticeNumber is null ? null : new(NoticeNumber, NoticeDate ?? default, NoticeTitle ?? "");
}

/// <summary>One day a change touched: what it was before (null = no entry) and after.</summary>
public sealed record CalendarDayChange(DateOnly Date, CalendarDayState? Before, CalendarDayState? After);

/// <param name="Kind">`Holiday`, `CompensatoryDayOff` or `SwappedWorkingDay` (as stored).</param>
public sealed record CalendarDayState(string Kind, string Name, string Source);

/// <summary>
/// Writes to the administered calendar, for the seed, the upkeep job and the administrators alike: every change of a year's
/// entries increments the calendar version (calendar_head), records the year's notice (calendar_year) and appends its
/// audit row (calendar_revision) in the caller's write transaction.
/// </summary>
public static class CalendarStore
{
    /// <summary>Who recorded a change made by the release itself (the seed data and the default rule).</summary>
    public const string Seed = "seed";

    public static class Changes
    {
        /// <summary>A year computed by the default rule (provisional).</summary>
        public const string Filled = "filled";

        /// <summary>A year found in a database from before the calendar was administered, kept as it was (provisional).</summary>
        public const string Adopted = "adopted";

        /// <summary>A notice shipped in the seed data (calendar-notices.json).</summary>
        public const string SeedNotice = "seed-notice";

        /// <summary>An administrator replaced the year with a notice.</summary>
        public const string Replaced = "replaced";
    }

    /// <summary>
    /// Takes the calendar writers' turn for the rest of the transaction and returns the current version: on SQL Server the
    /// head row's exclusive lock (an UPDATE) serialises two nodes seeding at once; on SQLite the write transaction already is the one writer.
    /// </summary>
    public static async Task<int> LockAsync(DbWrite tx)
    {
        await tx.ExecuteAsync(Sql.Lock);
        return await tx.ScalarAsync<int>(Sql.Head);
    }

    public static Task<IReadOnlyList<StoredCalendarEntry>> EntriesAsync(DbWrite tx, int year) =>
        tx.QueryAsync<StoredCalendarEntry>(Sql.YearEntries, new { From = new DateOnly(year, 1, 1), To = new DateOnly(year, 12, 31) });

    public static Task<IReadOnlyList<StoredCalendarEntry>> AllEntriesAsync(DbWrite tx) => tx.QueryAsync<StoredCalendarEntry>(Sql.AllEntries);

    public static Task<IReadOnlyList<CalendarYearRow>> YearsAsync(DbWrite tx) => tx.QueryAsync<CalendarYearRow>(Sql.Years);

    public static Task<CalendarYearRow?> YearAsync(DbWrite tx, int year) => tx.SingleOrDefaultAsync<CalendarYearRow>(Sql.Year, new { Year = year });

    /// <summary>The days whose entry differs (kind, name or source), in date order.</summary>
    public static IReadOnlyList<CalendarDayChange> Diff(IReadOnlyList<StoredCalendarEntry> before, IReadOnlyList<StoredCalendarEntry> after)
    {
        var old = before.ToDictionary(e => e.WorkDate);
        var @new = after.ToDictionary(e => e.WorkDate);
        return old.Keys.Union(@new.Keys).Order()
            .Select(d => (d, b: old.GetValueOrDefault(d), a: @new.GetValueOrDefault(d)))
            .Where(x => x.b is null || x.a is null || x.b.Kind != x.a.Kind || x.b.Name != x.a.Name || x.b.SourceNote != x.a.SourceNote)
            .Select(x => new CalendarDayChange(x.d, State(x.b), State(x.a)))
            .ToList();
    }

    private static CalendarDayState? State(StoredCalendarEntry? e) => e is null ? null : new(e.Kind, e.Name, e.SourceNote);

    /// <summary>
    /// Replaces the year's entries with <paramref name="after"/> and records the change; returns the new calendar version.
    /// Call after <see cref="LockAsync"/>, in the same transaction.
    /// </summary>
    public static async Task<int> RecordAsync(DbWrite tx, int year, IReadOnlyList<StoredCalendarEntry> before, IReadOnlyList<StoredCalendarEntry> after,
        CalendarNotice? notice, string change, string recordedBy, DateTimeOffset now)
    {
        await tx.ExecuteAsync(Sql.Bump);
        var version = await tx.ScalarAsync<int>(Sql.Head);
        await tx.ExecuteAsync(Sql.DeleteYear, new { From = new DateOnly(year, 1, 1), To = new DateOnly(year, 12, 31) });
        if (after.Count > 0) await tx.ExecuteAsync(Sql.InsertEntry, after);
        var args = new
        {
            Year = year,
            NoticeNumber = notice?.Number,
            NoticeDate = notice?.Date,
            NoticeTitle = notice?.Title,
            RecordedBy = recordedBy,
            Version = version,
            Now = now,
            Change = change,
            Changes = JsonSerializer.Serialize(Diff(before, after), JsonSerializerOptions.Web),
        };
        if (await tx.ExecuteAsync(Sql.UpdateYear, args) == 0) await tx.ExecuteAsync(Sql.InsertYear, args);
        await tx.ExecuteAsync(Sql.InsertRevision, args);
        return version;
    }

    internal static class Sql
    {
        // A no-op update still takes the row's exclusive lock until commit (SQL Server); it keeps the version.
        public const string Lock = "UPDATE calendar_head SET version = version WHERE id = 1";
        public const string Head = "SELECT version FROM calendar_head WHERE id = 1";
        public const string Bump = "UPDATE calendar_head SET version = version + 1 WHERE id = 1";
        public const string YearEntries = """
            SELECT work_date, kind, name, source_note FROM calendar_entry WHERE work_date >= @From AND work_date <= @To ORDER BY work_date
            """;
        public const string AllEntries = "SELECT work_date, kind, name, source_note FROM calendar_entry ORDER BY work_date";
        public const string Years = """
            SELECT year_number, notice_number, notice_date, notice_title, recorded_by, version, updated_at FROM calendar_year ORDER BY year_number
            """;
        public const string Year = """
            SELECT year_number, notice_number, notice_date, notice_title, recorded_by, version, updated_at FROM calendar_year WHERE year_number = @Year
            """;
        public const string DeleteYear = "DELETE FROM calendar_entry WHERE work_date >= @From AND work_date <= @To";
        public const string InsertEntry = """
            INSERT INTO calendar_entry (work_date, kind, name, source_note) VALUES (@WorkDate, @Kind, @Name, @SourceNote)
            """;
        public const string UpdateYear = """
            UPDATE calendar_year SET notice_number = @NoticeNumber, notice_date = @NoticeDate, notice_title = @NoticeTitle,
                recorded_by = @RecordedBy, version = @Version, updated_at = @Now
            WHERE year_number = @Year
            """;
        public const string InsertYear = """
            INSERT INTO calendar_year (year_number, notice_number, notice_date, notice_title, recorded_by, version, updated_at)
            VALUES (@Year, @NoticeNumber, @NoticeDate, @NoticeTitle, @RecordedBy, @Version, @Now)
            """;
        public const string InsertRevision = """
            INSERT INTO calendar_revision (version, year_number, change_kind, notice_number, notice_date, notice_title, recorded_by, recorded_at, changes)
            VALUES (@Version, @Year, @Change, @NoticeNumber, @NoticeDate, @NoticeTitle, @RecordedBy, @Now, @Changes)
            """;
    }
}
