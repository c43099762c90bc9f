using System.Net;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>Security headers, CORS for the citizen web app only, and the node roles.</summary>
[Collection(ApiHost.Name)]
public sealed class EdgeProtectionTests(ApiFactory api)
{
    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var response = await api.CreateClient().GetAsync("/api/v1/procedures");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var page = await api.CreateClient().GetAsync("/reports/index.html");
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://dichvucong.phutho.gov.vn", true)]
    [InlineData("https://evil.example", false)]
    public async Task Only_the_citizen_web_app_may_call_from_a_browser(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/dossiers");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,idempotency-key");
        using var response = await api.CreateClient().SendAsync(preflight);
        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }
}

/// <summary>Rate limits and node roles on the real executable (real Kestrel, real client addresses).</summary>
public sealed class EdgeProcessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-edge-").FullName;

    private Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "app.db")}",
            ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Too_many_requests_from_one_address_get_429_with_retry_after_and_a_problem_document()
    {
        await using var service = await ServiceProcess.StartAsync(folder, Settings(("Edge:PerIpPerMinute", "30")));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 60 && refused is null; i++)
        {
            var response = await service.Client.GetAsync("/api/v1/procedures");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else response.Dispose();
        }
        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(int.Parse(refused!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 20, 40);   // the burst allowance, then refusals
    }

    [Fact]
    public async Task A_worker_node_answers_health_probes_only_and_an_api_node_runs_no_workers()
    {
        await using (var worker = await ServiceProcess.StartAsync(folder, Settings(("Role", "worker"))))
        {
            Assert.Equal(HttpStatusCode.OK, (await worker.Client.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await worker.Client.GetAsync("/api/v1/procedures")).StatusCode);
        }
        await using var api = await ServiceProcess.StartAsync(folder, Settings(("Role", "api")));
        var receipt = await ADossier.Valid().SubmitAsync(api.Client);
        Assert.Equal("Submitted", (await receipt.StatusAsync(api.Client)).GetProperty("status").GetString());
        Assert.Equal(1, await IntakeStepsAsync("status = 'pending' AND claim IS NULL AND attempts = 0"));

        // The positive signal that the work was there to be done, and done once: a worker started beside the API node
        // routes the dossier, and its intake step ran exactly one attempt — the API node never claimed it.
        await using var beside = await ServiceProcess.StartAsync(folder, Settings(("Role", "worker")));
        Assert.Equal("Received", (await receipt.AfterIntakeAsync(api.Client, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
        Assert.Equal(1, await IntakeStepsAsync("status = 'done' AND attempts = 1"));
    }

    private async Task<long> IntakeStepsAsync(string where)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "app.db")}");
        await connection.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, $"SELECT COUNT(*) FROM workflow_step WHERE kind = 'Intake' AND {where}");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
