using System.Globalization;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Infrastructure.Http;

/// <summary>
/// Commands for operators, run with the service's own executable instead of serving (see deploy/README.md):
/// <c>dotnet OneStopWindow.Api.dll probe http://127.0.0.1:8080/health/live</c> — a health probe for the container
/// image, which has no curl: exit code 0 when the address answers 2xx within 3 seconds, 1 otherwise;
/// <c>dotnet OneStopWindow.Api.dll migrate</c> — applies the pending migrations of the configured engine and the seed
/// data, whatever <c>Database:MigrateOnStartup</c> says, then exits: 0 when the database is up to date, 1 when not.
/// </summary>
public static class OperatorCommands
{
    /// <summary>Where <c>probe</c> asks when no address is given: the liveness endpoint on the container's port.</summary>
    public const string DefaultProbeUrl = "http://127.0.0.1:8080/health/live";

    /// <summary>How long <c>probe</c> waits for an answer.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>True when the first argument is <c>probe</c>.</summary>
    public static bool IsProbe(string[] args) => args.Length > 0 && args[0] == "probe";

    /// <summary>True when the first argument is <c>rekey</c> (see <see cref="PersonalDataRekey"/>).</summary>
    public static bool IsRekey(string[] args) => args.Length > 0 && args[0] == "rekey";

    /// <summary>True when the first argument is <c>migrate</c>.</summary>
    public static bool IsMigrate(string[] args) => args.Length > 0 && args[0] == "migrate";

    /// <summary>The address after <c>probe</c>, or <see cref="DefaultProbeUrl"/>.</summary>
    public static string ProbeUrl(string[] args) => args.Length > 1 ? args[1] : DefaultProbeUrl;

    /// <summary>
    /// GETs <paramref name="url"/> (no proxy, no redirects) and returns 0 on a 2xx answer within
    /// <see cref="ProbeTimeout"/>, 1 on anything else. Prints one line: the status code or why there was none —
    /// never the address's query or a response body.
    /// </summary>
    /// <param name="url">An absolute http(s) address, e.g. <see cref="DefaultProbeUrl"/>.</param>
    public static async Task<int> ProbeAsync(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await Console.Error.WriteLineAsync("probe: give an absolute http(s) address, e.g. " + DefaultProbeUrl);
            return 1;
        }
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = ProbeTimeout };
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"probe: {uri.AbsolutePath} answered {status}"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync("probe: no answer: " + e.Message);
            return 1;
        }
        catch (TaskCanceledException)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"probe: no answer within {ProbeTimeout.TotalSeconds:0} s"));
            return 1;
        }
    }

    /// <summary>
    /// The <c>migrate</c> command, on a built (not started) application: applies the pending migrations and loads the
    /// seed data — the same two steps as <see cref="DataSetup.PrepareDatabaseAsync"/>, but whatever
    /// <c>Database:MigrateOnStartup</c> says — and returns the exit code: 0 when the database is up to date, 1 when a
    /// step failed (the error is logged). Starts no Hangfire server and serves nothing.
    /// </summary>
    /// <param name="services">The built application's services.</param>
    /// <param name="ct">Cancels the seeding.</param>
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OperatorCommands).FullName!);
        try
        {
            services.GetRequiredService<Migrator>().Migrate();
            await services.GetRequiredService<Seeder>().SeedAsync(ct);
            logger.LogInformation("Database is up to date: migrations and seed data applied");
            return 0;
        }
#pragma warning disable CA1031 // Every failure becomes exit code 1 for the operator's script or the orchestrator.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Migration failed; the scripts applied before the error stay applied (one transaction per script)");
            return 1;
        }
    }
}
