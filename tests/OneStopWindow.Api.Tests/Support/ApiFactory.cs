using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Http;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>
/// The whole service on a real SQLite file with a real Hangfire server over the real SQLite job storage.
/// One host per test run: Hangfire's global configuration does not survive two hosts in one process.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("osw-tests-").FullName;
    public string DatabasePath => Path.Combine(Folder, "app.db");

    /// <summary>The attachment store of this run (never the developer's own data folder).</summary>
    public string DocumentsPath => Path.Combine(Folder, "documents");

    /// <summary>The bytes a dossier's files may take together here: small, so the quota's test uploads kilobytes, not 50 MB.</summary>
    public const int DossierDocumentBytes = 256 * 1024;

    /// <summary>The registry gateways (population, poverty list) the service consults at intake.</summary>
    public RegistryStub Registry { get; } = RegistryStub.Start();

    /// <summary>Everything the host logs (configured levels), for the tests that prove what never appears in logs.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>A host name that resolves to an address on the province's own network (forbidden for webhooks).</summary>
    public const string IntranetHost = "noibo.phutho.gov.vn";
    public const string IntranetAddress = "10.25.1.7";

    /// <summary>The service's clock: tests move time forward instead of waiting for deadlines.</summary>
    public TestClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            // The OpenAPI example's webhook host (no DNS here) resolves to the local, allowed address; IntranetHost to the
            // province's network; other names resolve normally.
            s.AddSingleton(new OutboundGuard(["127.0.0.1/32"], (host, ct) => host switch
            {
                "ketnoi.phutho.gov.vn" => Task.FromResult(new[] { System.Net.IPAddress.Loopback }),
                IntranetHost => Task.FromResult(new[] { System.Net.IPAddress.Parse(IntranetAddress) }),
                _ => System.Net.Dns.GetHostAddressesAsync(host, ct),
            }));
        });
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Jobs:SqlitePath", Path.Combine(Folder, "hangfire.db"));
        builder.UseSetting("Jobs:WorkerCount", "2");
        builder.UseSetting("Documents:StoragePath", DocumentsPath);
        // One self-signed development certificate for every test host of the run (made once: an RSA key takes a while).
        builder.UseSetting("Papers:Signing:DevelopmentCertificatePath", Path.Combine(AppContext.BaseDirectory, "papers-signing-dev.pfx"));
        builder.UseSetting("Documents:MaxBytesPerDossier", DossierDocumentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // One test host sends thousands of requests from one "address": rate limits have their own test.
        builder.UseSetting("Edge:PerIpPerMinute", "10000000");
        builder.UseSetting("Edge:PerUserPerMinute", "10000000");
        builder.UseSetting("Objections:PerDossierPerDay", "10000");   // every test's objections come from one address here
        builder.UseSetting("Objections:PerAddressPerDay", "10000");
        builder.UseSetting("Edge:PerClientPerMinute", "10000000");
        // The register's monthly steps page through every entitlement: tiny pages here, so every test of them crosses pages.
        builder.UseSetting("Register:Batch", "3");
        builder.UseSetting("Edge:CorsOrigins:0", "https://dichvucong.phutho.gov.vn");
        // Webhook receivers in the tests listen on 127.0.0.1; every other private or special network stays forbidden.
        builder.UseSetting("Webhooks:AllowedNetworks:0", "127.0.0.1/32");
        builder.UseSetting("Webhooks:RelayInterval", "00:00:00.100");
        builder.UseSetting("Webhooks:QuickRetryDelay", "00:00:00.050");
        builder.UseSetting("Webhooks:AttemptTimeout", "00:00:01");
        builder.UseSetting("Webhooks:BreakDuration", "00:00:01");
        builder.UseSetting("Webhooks:BreakerMinimumThroughput", "4");
        for (var i = 0; i < 8; i++) builder.UseSetting($"Webhooks:RetryDelays:{i}", "00:00:00.300");
        builder.UseSetting("Registries:Population:BaseUrl", new Uri(Registry.BaseAddress, "population/").ToString());
        builder.UseSetting("Registries:Population:ApiKey", RegistryStub.Key);
        builder.UseSetting("Registries:Poverty:BaseUrl", new Uri(Registry.BaseAddress, "poverty/").ToString());
        builder.UseSetting("Registries:Poverty:ApiKey", RegistryStub.Key);
        builder.UseSetting("Registries:AttemptTimeout", "00:00:02");   // far above a loopback answer on a busy machine
        builder.UseSetting("Registries:BreakerMinimumThroughput", "1000");
        for (var i = 0; i < 3; i++) builder.UseSetting($"Registries:RetryDelays:{i}", "00:00:01");
    }

    /// <summary>A client that sends a bearer token minted with the development key.</summary>
    public HttpClient As(string role, string? ward = null, string? idNumber = null, string? subject = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            TokenCommand.Mint(new AuthOptions(), role, ward, idNumber, subject, null, TimeSpan.FromHours(1)));
        return client;
    }

    /// <summary>Runs a recurring job now on the real Hangfire server (as its schedule would).</summary>
    public void Trigger(string recurringJobId) => Services.GetRequiredService<IRecurringJobManager>().Trigger(recurringJobId);

    /// <summary>Reads the application database directly, to assert what is (or is not) stored.</summary>
    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<T>(connection, sql, args) ?? throw new InvalidOperationException("no value");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Registry.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Real time plus an offset the tests move forward.</summary>
public sealed class TestClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);
}

[CollectionDefinition(Name)]
public sealed class ApiHost : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}

public static class Json
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Web)).Clone();
}

/// <summary>Waits for something that a background job makes true, with a deadline instead of a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        do
        {
            last = await probe();
            if (done(last)) return last;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {last}");
    }
}

