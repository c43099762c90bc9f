using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>Relative SQLite paths are anchored at the content root, so the working directory does not matter.</summary>
public static class SqliteFiles
{
    public static string Anchor(string connectionString, string contentRoot, TimeSpan? busyTimeout = null)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        // Microsoft.Data.Sqlite retries a busy statement itself until the command timeout (default 30 s): bound it by the
        // busy timeout, so a long fault ends in a transient error the retry behaviour and the 503 answer can handle.
        if (busyTimeout is { } busy) builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busy.TotalSeconds));
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        return builder.ToString();
    }
}

public static class DataSetup
{
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        TypeHandlers.Register();
        services.AddSettings<DatabaseOptions>(DatabaseOptions.Section)
            .PostConfigure<IHostEnvironment>((o, env) => o.ConnectionString = o.Provider == DatabaseProvider.Sqlite
                ? SqliteFiles.Anchor(o.ConnectionString, env.ContentRootPath, o.BusyTimeout) : o.ConnectionString);
        services.AddSingleton<ISqlDialect>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.SqlServer
            ? new SqlServerDialect() : new SqliteDialect());
        services.AddSettings<PersonalDataOptions>(PersonalDataOptions.Section);
        services.AddSingleton<PersonalData>();
        services.AddSingleton<Db>();
        services.AddSingleton<TransientRetry>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<Seeder>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>Creates or upgrades the schema and loads the seed data, before any job or request runs.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        _ = services.GetRequiredService<PersonalData>();   // a malformed or missing key stops the start here, not at the first read
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup) return;
        services.GetRequiredService<Migrator>().Migrate();
        await services.GetRequiredService<Seeder>().SeedAsync(ct);
    }
}

public sealed class DatabaseHealthCheck(Db db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.SingleOrDefaultAsync<long>("SELECT COUNT(*) FROM catalogue_procedure", null, cancellationToken);
            return HealthCheckResult.Healthy();
        }
#pragma warning disable CA1031 // A health check reports every failure as unhealthy.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("Database unreachable", e);
        }
    }
}
