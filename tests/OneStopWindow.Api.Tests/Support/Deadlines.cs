using System.Globalization;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>The deadline clock in tests: a day in Vietnam time, the service's own calendar, and the watch run to the end.</summary>
public static class Deadlines
{
    /// <summary>Moves the service's clock to <paramref name="day"/> at <paramref name="hour"/>:00 in Vietnam (the tests reset it after).</summary>
    public static void SetVietnamDay(this ApiFactory api, DateOnly day, int hour = 9)
    {
        api.Clock.Reset();
        api.Clock.Advance(new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(7)) - DateTimeOffset.UtcNow);
    }

    public static async Task<WorkingCalendar> CalendarAsync(this ApiFactory api) =>
        await api.Services.GetRequiredService<WorkingCalendarProvider>().GetAsync(CancellationToken.None);

    /// <summary>
    /// Runs the deadline watch now, in the test, until a run finds nothing left to record (every run takes a batch, and the
    /// database holds the dossiers of every test): after it, whatever the watch would mark at this time is marked.
    /// </summary>
    public static async Task WatchDeadlinesAsync(this ApiFactory api)
    {
        for (var run = 0; run < 100; run++)
        {
            using var scope = api.Services.CreateScope();
            if (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new WatchDeadlines()) == 0) return;
        }
        throw new InvalidOperationException("the deadline watch kept finding work");
    }

    /// <summary>The n-th working day before <paramref name="day"/>.</summary>
    public static DateOnly WorkingDaysBefore(this WorkingCalendar calendar, DateOnly day, int n)
    {
        for (var i = 0; i < n; i++) day = calendar.LastWorkingDayBefore(day);
        return day;
    }

    public static DateOnly AppointmentDate(this JsonElement dossier) =>
        DateOnly.ParseExact(dossier.GetProperty("appointmentDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
