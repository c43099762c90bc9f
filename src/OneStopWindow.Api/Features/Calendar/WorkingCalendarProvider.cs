using Dapper;
using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Features.Calendar;

/// <summary>A year the calendar holds: provisional until a notice is recorded (Labour Code 2019 Art. 112(3)).</summary>
public sealed record CalendarYearState(int Year, CalendarNotice? Notice, string RecordedBy, int Version, DateTimeOffset UpdatedAt)
{
    public bool Provisional => Notice is null;
}

/// <summary>A stored row whose kind is none of <see cref="CalendarEntryKind"/>: left out of the calendar and reported.</summary>
public sealed record UnreadableCalendarRow(DateOnly Date, string Kind);

/// <summary>The calendar as one node uses it: the entries (with the version they were read at), the years' notices, the rows it could not read.</summary>
public sealed record CalendarSnapshot(WorkingCalendar Calendar, IReadOnlyDictionary<int, CalendarYearState> Years, IReadOnlyList<UnreadableCalendarRow> Unreadable)
{
    public int Version => Calendar.Version;
}

/// <summary>
/// The working calendar is data (calendar_entry) that administrators replace year by year when the government announces
/// its schedule (PUT /api/v1/calendar/{year}). Cached for a minute per process: the node that records a replacement drops
/// its cache at once (<see cref="Invalidate"/>), every other node reads the change within the minute, and no node keeps
/// state another needs. A stored row with an unknown kind cannot take every deadline down: it is left out (the day counts
/// by its weekday), logged as an error and listed in the year's view (<c>unreadableEntries</c>); writes validate the kind.
/// </summary>
public sealed class WorkingCalendarProvider(IServiceScopeFactory scopes, TimeProvider clock, ILogger<WorkingCalendarProvider> logger)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (CalendarSnapshot Snapshot, DateTimeOffset LoadedAt)? cached;

    public async ValueTask<WorkingCalendar> GetAsync(CancellationToken ct) => (await GetSnapshotAsync(ct)).Calendar;

    public async ValueTask<CalendarSnapshot> GetSnapshotAsync(CancellationToken ct)
    {
        if (cached is { } c && Fresh(c.LoadedAt)) return c.Snapshot;
        await gate.WaitAsync(ct);
        try
        {
            if (cached is { } again && Fresh(again.LoadedAt)) return again.Snapshot;
            var snapshot = await LoadAsync(ct);
            cached = (snapshot, clock.GetUtcNow());
            return snapshot;
        }
        finally
        {
            gate.Release();
        }
    }

    // A clock set back (an operator's correction) must not make a cache fresh for years.
    private bool Fresh(DateTimeOffset loadedAt) => clock.GetUtcNow() - loadedAt is var age && age >= TimeSpan.Zero && age < Lifetime;

    /// <summary>Forgets the cached calendar: the next read loads the stored one (after this node changed it).</summary>
    public void Invalidate() => cached = null;

    /// <summary>The stored calendar as it is now, not as cached.</summary>
    public ValueTask<CalendarSnapshot> RefreshAsync(CancellationToken ct)
    {
        Invalidate();
        return GetSnapshotAsync(ct);
    }

    private async Task<CalendarSnapshot> LoadAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        await using var connection = await db.OpenAsync(ct);
        // The version read before and after the rows: a change committed in between is read again, so the version names these rows.
        for (var attempt = 0; ; attempt++)
        {
            var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition(CalendarStore.Sql.Head, cancellationToken: ct));
            var rows = (await connection.QueryAsync<StoredCalendarEntry>(new CommandDefinition(CalendarStore.Sql.AllEntries, cancellationToken: ct))).AsList();
            var years = (await connection.QueryAsync<CalendarYearRow>(new CommandDefinition(CalendarStore.Sql.Years, cancellationToken: ct))).AsList();
            if (attempt < 3 && await connection.ExecuteScalarAsync<int>(new CommandDefinition(CalendarStore.Sql.Head, cancellationToken: ct)) != version) continue;

            var entries = new List<CalendarEntry>(rows.Count);
            var unreadable = new List<UnreadableCalendarRow>();
            foreach (var row in rows)
            {
                if (row.ToEntry() is { } entry) entries.Add(entry);
                else unreadable.Add(new(row.WorkDate, row.Kind));
            }
            if (unreadable.Count > 0)
                logger.LogError("Working calendar: {Count} stored row(s) with an unknown kind left out ({Dates}); replace the year through PUT /api/v1/calendar/{{year}}",
                    unreadable.Count, string.Join(", ", unreadable.Select(u => u.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
            return new CalendarSnapshot(new WorkingCalendar(entries, version),
                years.ToDictionary(y => y.YearNumber, y => new CalendarYearState(y.YearNumber, y.Notice, y.RecordedBy, y.Version, y.UpdatedAt)), unreadable);
        }
    }
}

/// <summary>
/// Published after the stored calendar may have changed (a year replaced, years filled or a seed notice applied), on the node
/// that changed it; the dossier core then asks for delay notices where a promised date became a day off.
/// </summary>
/// <param name="Year">The year replaced, or null after the upkeep (any year).</param>
public sealed record WorkingCalendarChanged(int? Year) : INotification;

public static class CalendarSetup
{
    /// <summary>The working calendar, and the deadline clock's settings every reader of deadlines shares.</summary>
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddSettings<SlaOptions>(SlaOptions.Section);
        services.AddSingleton<WorkingCalendarProvider>();
        services.AddSingleton<CalendarSeed>();
        services.AddSingleton<ISeedPart>(sp => sp.GetRequiredService<CalendarSeed>());
        services.AddTransient<CalendarUpkeepJob>();
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, CalendarUpkeepSchedule>();
        return services;
    }
}
