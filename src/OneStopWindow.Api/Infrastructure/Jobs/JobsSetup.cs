using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Infrastructure.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Older spelling of the node role: false means <c>--role api</c> (see <c>NodeRole</c>); read only when no role is given.</summary>
    public bool Server { get; set; } = true;

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>SQLite job storage file (embedded default only; SQL Server uses the application database, schema HangFire).</summary>
    [Required]
    public string SqlitePath { get; set; } = "data/hangfire.db";

    /// <summary>How often idle workers look for new jobs on SQLite (its default of 15 s is far too slow for intake).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>SQLite storage: a fetched job whose worker died reappears after this long (workflow steps are not Hangfire jobs; see WorkflowPump).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public bool Dashboard { get; set; } = true;
}

public static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, NodeRole role)
    {
        services.AddSettings<JobsOptions>(JobsOptions.Section);
        var jobs = Settings.Settings.Read<JobsOptions>(configuration, JobsOptions.Section);
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

        services.AddHangfire(c =>
        {
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.SqlServer)
            {
                c.UseSqlServerStorage(database.ConnectionString, new SqlServerStorageOptions { PrepareSchemaIfNecessary = true });
            }
            else
            {
                var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, jobs.SqlitePath));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                if (role.RunsWorkers) WorkerLock.Acquire(path);
                c.UseSQLiteStorage(path, new SQLiteStorageOptions
                {
                    QueuePollInterval = jobs.PollInterval,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                });
            }
        });
        if (role.RunsWorkers)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = jobs.WorkerCount;
                o.SchedulePollingInterval = jobs.PollInterval;   // scheduled steps (posting end, registry retries) start on time
            });
        }
        return services;
    }

    public static WebApplication UseJobs(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        if (app.Services.GetRequiredService<NodeRole>().RunsWorkers)
        {
            var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
            var background = app.Services.GetRequiredService<IBackgroundJobClient>();
            foreach (var schedule in app.Services.GetServices<IWorkerSchedule>()) schedule.Schedule(recurring, background);
        }
        // The dashboard's default filter admits local requests only; it gets a role policy with authentication.
        if (options.Dashboard && app.Environment.IsDevelopment()) app.UseHangfireDashboard("/hangfire");
        return app;
    }
}

/// <summary>
/// What a feature schedules on Hangfire when a worker process starts (its recurring jobs, a one-off catch-up). Features
/// register one; this infrastructure knows none of them.
/// </summary>
public interface IWorkerSchedule
{
    void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs);
}

/// <summary>
/// The SQLite job storage locks only inside one process: two processes running workers on one file ran jobs twice
/// and lost updates (toolchain probe). So a worker process holds an exclusive OS lock on "&lt;storage&gt;.worker.lock" for its
/// lifetime; a second worker on the same storage refuses to start. The OS drops the lock when the process dies, even on kill -9.
/// </summary>
public static class WorkerLock
{
    private static FileStream? held;

    public static void Acquire(string storagePath)
    {
        if (held is not null) return;
        try
        {
            held = new FileStream(storagePath + ".worker.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Another process already runs Hangfire workers on {storagePath}. On the embedded job storage only one may: start this one with --role api.", e);
        }
    }
}
