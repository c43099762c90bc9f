using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Features.Calendar;

/// <summary>
/// The working calendar is data (calendar_entry) that administrators correct when the government
/// announces each year's schedule. Cached for a minute per process, so a correction reaches every node soon
/// and no node keeps state another needs.
/// </summary>
public sealed class WorkingCalendarProvider(IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (WorkingCalendar Calendar, DateTimeOffset LoadedAt)? cached;

    public async ValueTask<WorkingCalendar> GetAsync(CancellationToken ct)
    {
        if (cached is { } c && clock.GetUtcNow() - c.LoadedAt < Lifetime) return c.Calendar;
        await gate.WaitAsync(ct);
        try
        {
            if (cached is { } again && clock.GetUtcNow() - again.LoadedAt < Lifetime) return again.Calendar;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<Db>();
            var rows = await db.QueryAsync<CalendarRow>(Sql.All, null, ct);
            var calendar = new WorkingCalendar(rows.Select(r => r.ToEntry()));
            cached = (calendar, clock.GetUtcNow());
            return calendar;
        }
        finally
        {
            gate.Release();
        }
    }

    internal sealed record CalendarRow
    {
        public DateOnly WorkDate { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string SourceNote { get; init; } = "";

        public CalendarEntry ToEntry() => new(WorkDate, Enum.Parse<CalendarEntryKind>(Kind), Name, SourceNote);
    }

    internal static class Sql
    {
        public const string All = "SELECT work_date, kind, name, source_note FROM calendar_entry ORDER BY work_date";
    }
}

public static class CalendarSetup
{
    /// <summary>The working calendar, and the deadline clock's settings every reader of deadlines shares.</summary>
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddSettings<SlaOptions>(SlaOptions.Section);
        return services.AddSingleton<WorkingCalendarProvider>();
    }
}
