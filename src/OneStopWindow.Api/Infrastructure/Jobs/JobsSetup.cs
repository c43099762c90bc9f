using Hangfire;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Infrastructure.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run Hangfire workers in this process. On the embedded SQLite job storage only ONE process may.</summary>
    public bool Server { get; set; } = true;

    public int WorkerCount { get; set; } = 4;

    /// <summary>SQLite job storage file (embedded default only; SQL Server uses the application database, schema HangFire).</summary>
    public string SqlitePath { get; set; } = "data/hangfire.db";

    /// <summary>How often idle workers look for new jobs on SQLite (its default of 15 s is far too slow for intake).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>SQLite storage: a fetched job whose worker died reappears after this long (workflow steps are not Hangfire jobs; see WorkflowPump).</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public bool Dashboard { get; set; } = true;
}

public static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section);
        services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.Section);
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section);
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
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
                if (jobs.Server) WorkerLock.Acquire(path);
                c.UseSQLiteStorage(path, new SQLiteStorageOptions
                {
                    QueuePollInterval = jobs.PollInterval,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                });
            }
        });
        services.AddTransient<WatchDeadlinesJob>();
        services.AddSingleton<WorkflowSignal>();
        services.AddWorkflowSteps();
        if (jobs.Server)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = jobs.WorkerCount;
                o.SchedulePollingInterval = jobs.PollInterval;   // scheduled steps (posting end, registry retries) start on time
            });
            services.AddHostedService<WorkflowPump>();
        }
        return services;
    }

    public static WebApplication UseJobs(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        if (options.Server)
        {
            var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
            recurring.RemoveIfExists("reconcile-workflow");   // before issue 6 the workflow ran as one Hangfire job per step
            recurring.AddOrUpdate<WatchDeadlinesJob>(WatchDeadlinesJob.RecurringId, j => j.Run(CancellationToken.None),
                app.Services.GetRequiredService<IOptions<SlaOptions>>().Value.Cron);
            recurring.AddOrUpdate<Features.Beneficiaries.ResumeImportsJob>(Features.Beneficiaries.ResumeImportsJob.RecurringId, j => j.Run(CancellationToken.None),
                Cron.Minutely());
            // No worker ran an unfinished import while this one was down (on the embedded storage only one may run):
            // resume them all from their checkpoints now rather than at the first recurring run.
            app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<Features.Beneficiaries.ResumeImportsJob>(j => j.RunAfterRestart(CancellationToken.None));
        }
        // The dashboard's default filter admits local requests only; it gets a role policy with authentication.
        if (options.Dashboard && app.Environment.IsDevelopment()) app.UseHangfireDashboard("/hangfire");
        return app;
    }
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
                $"Another process already runs Hangfire workers on {storagePath}. On the embedded job storage only one may: start this one with Jobs:Server=false.", e);
        }
    }
}
