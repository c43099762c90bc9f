using System.Net;
using System.Net.Http.Json;
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

    [Fact]
    public async Task Every_response_carries_the_api_version_the_document_names_and_the_callers_rate_limit_bucket()
    {
        var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "api-specs", "openapi.json")));
        var version = document.RootElement.GetProperty("info").GetProperty("version").GetString();
        using var client = api.CreateClient();
        foreach (var (url, status) in new[] { ("/api/v1/procedures", HttpStatusCode.OK), ("/api/v1/dossiers/XX-000000-0000", HttpStatusCode.NotFound),
                     ("/api/v1/me/benefits", HttpStatusCode.Unauthorized) })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(version, response.Headers.GetValues("API-Version").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());   // an error's problem document too
            Assert.Equal("10000000", response.Headers.GetValues("RateLimit-Limit").Single());   // the test host's per-address limit
            Assert.InRange(long.Parse(response.Headers.GetValues("RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture), 0, 10_000_000);
            Assert.True(response.Headers.Contains("RateLimit-Reset"));
        }
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
            Assert.Equal("30", refused.Headers.GetValues("RateLimit-Limit").Single());
            Assert.Equal("0", refused.Headers.GetValues("RateLimit-Remaining").Single());
            Assert.True(int.Parse(refused.Headers.GetValues("RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 20, 40);   // the burst allowance, then refusals
    }

    /// <summary>Sends <paramref name="count"/> requests, each built fresh; the number answered 429.</summary>
    private static async Task<int> RefusedAsync(HttpClient http, int count, Func<int, HttpRequestMessage> request)
    {
        var refused = 0;
        for (var i = 0; i < count; i++)
        {
            using var message = request(i);
            using var response = await http.SendAsync(message);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused++;
        }
        return refused;
    }

    private static HttpRequestMessage WithKey(string url, string key)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Add("X-Api-Key", key);
        return message;
    }

    [Fact]
    public async Task Rate_limits_count_who_the_caller_proved_to_be_a_made_up_key_id_neither_escapes_nor_drains_a_clients_bucket()
    {
        await using var service = await ServiceProcess.StartAsync(folder, Settings(("Edge:PerIpPerMinute", "30"), ("Edge:PerClientPerMinute", "30")));
        using var admin = new HttpClient { BaseAddress = service.Address };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", OneStopWindow.Api.Infrastructure.Auth.TokenCommand.Mint(
            new OneStopWindow.Api.Infrastructure.Auth.AuthOptions(), "administrator", null, null, null, null, TimeSpan.FromHours(1)));
        using var registered = await admin.PostAsJsonAsync("/api/v1/clients", new { name = "Hệ thống thử hạn mức", scopes = new[] { "dossiers:read" } });
        var client = await registered.ReadJsonAsync();
        var keyId = client.GetProperty("keyId").GetString()!;
        var key = client.GetProperty("apiKey").GetString()!;

        // The client's key id with a wrong secret, 40 times: 401s counted on the sender's address, not in the client's bucket.
        var wrongSecret = $"osw_{keyId}_{new string('x', 43)}";
        Assert.True(await RefusedAsync(service.Client, 40, _ => WithKey("/api/v1/events", wrongSecret)) > 0);
        using (var own = await service.Client.SendAsync(WithKey("/api/v1/procedures", key)))
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        // A fresh random key id per request gets no fresh bucket: the address's is already spent.
        Assert.Equal(10, await RefusedAsync(service.Client, 10, _ => WithKey("/api/v1/procedures", OneStopWindow.Api.Infrastructure.Auth.ApiKey.Create().Key)));
    }

    [Fact]
    public async Task X_forwarded_for_counts_only_from_a_trusted_proxy_and_the_all_trusting_switch_is_refused()
    {
        HttpRequestMessage From(string address)
        {
            var message = new HttpRequestMessage(HttpMethod.Get, "/api/v1/procedures");
            message.Headers.Add("X-Forwarded-For", address);
            return message;
        }

        await using (var direct = await ServiceProcess.StartAsync(folder, Settings(("Edge:PerIpPerMinute", "30"))))
            Assert.True(await RefusedAsync(direct.Client, 50, i => From($"198.51.100.{i}")) >= 15);   // made-up addresses buy nothing

        await using (var proxied = await ServiceProcess.StartAsync(folder, Settings(("Edge:PerIpPerMinute", "30"), ("Edge:TrustedProxies:0", "127.0.0.1/32"))))
        {
            Assert.Equal(0, await RefusedAsync(proxied.Client, 50, i => From($"198.51.100.{i}")));   // 50 clients behind the proxy
            Assert.True(await RefusedAsync(proxied.Client, 50, _ => From("198.51.100.7")) >= 15);     // one of them, 50 times
        }

        var refused = await ServiceProcess.RunCommandAsync(folder, Settings(("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true")), "migrate");
        Assert.NotEqual(0, refused);
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
