using Hangfire;
using Mediator;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Calendar;

/// <summary>Fills the years up to today's + <see cref="CalendarSeed.YearsAhead"/> and applies the seed's notices (see <see cref="CalendarSeed"/>).</summary>
public sealed record UpkeepCalendar : ICommand<int>;

public sealed class UpkeepCalendarHandler(Db db, CalendarSeed seed, WorkingCalendarProvider calendars, IPublisher publisher) : ICommandHandler<UpkeepCalendar, int>
{
    public async ValueTask<int> Handle(UpkeepCalendar cmd, CancellationToken ct)
    {
        int changed;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            changed = await seed.RunAsync(tx);
            await tx.CommitAsync();
        }
        await calendars.RefreshAsync(ct);
        // Also when nothing changed here: a notice applied at a start, or recorded on a node that stopped before it was done,
        // still needs its delay-notice requests (they are idempotent).
        await publisher.Publish(new WorkingCalendarChanged(null), ct);
        return changed;
    }
}

public sealed class CalendarUpkeepJob(IMediator mediator)
{
    public const string RecurringId = "calendar-upkeep";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Working calendar upkeep")]
    public async Task Run(CancellationToken ct) => await mediator.Send(new UpkeepCalendar(), ct);
}

/// <summary>Hourly, and once when a worker starts: the calendar never ends less than three years ahead, with no year hard-coded.</summary>
public sealed class CalendarUpkeepSchedule : Infrastructure.Jobs.IWorkerSchedule
{
    public const string Cron = "17 * * * *";

    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs)
    {
        recurring.AddOrUpdate<CalendarUpkeepJob>(CalendarUpkeepJob.RecurringId, j => j.Run(CancellationToken.None), Cron);
        jobs.Enqueue<CalendarUpkeepJob>(j => j.Run(CancellationToken.None));
    }
}
