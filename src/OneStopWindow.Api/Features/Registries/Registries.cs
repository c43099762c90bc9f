using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Domain.Entitlements;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OneStopWindow.Api.Features.Registries;

/// <summary>One outside registry reached through a gateway of the provincial data-sharing platform (LGSP).</summary>
public sealed class RegistryGatewayOptions
{
    /// <summary>Gateway base URL; empty = switched off (the embedded default), and every dossier says so.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Sent as <c>X-Api-Key</c> to the gateway. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How the source is named on the dossier, e.g. "Cơ sở dữ liệu quốc gia về dân cư (qua LGSP Phú Thọ)".</summary>
    public string? SourceName { get; set; }
}

public sealed class RegistryOptions
{
    public const string Section = "Registries";

    public RegistryGatewayOptions Population { get; set; } = new();
    public RegistryGatewayOptions Poverty { get; set; } = new();

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Circuit breaker per registry: opens when half of at least this many calls in 30 s failed, for 30 s.</summary>
    [Range(2, 1_000_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>When a registry is unreachable, the check is tried again after these waits; then it is left to the officer. Empty: the defaults.</summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    public static readonly TimeSpan[] DefaultRetryDelays =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromHours(12)];

    public IReadOnlyList<TimeSpan> Delays => RetryDelays.Length > 0 ? RetryDelays : DefaultRetryDelays;
}

/// <summary>The registries this service consults, as stored in <c>registry_check.registry</c>.</summary>
public static class RegistryNames
{
    public const string Population = "population";
    public const string Poverty = "poverty-households";
}

/// <summary>What a lookup found, with where it came from.</summary>
/// <param name="Result">population: verified | mismatch | not-found; poverty-households: listed | not-listed; both: unavailable | disabled.</param>
/// <param name="Details">JSON: the differing fields of a mismatch, or the household's category and list year.</param>
public sealed record RegistryResult(string Result, string? Details, string Source)
{
    public bool Unavailable => Result == "unavailable";
}

/// <summary>The population registry's answer for a batch of identity numbers: per number, or why there is none.</summary>
/// <param name="Unavailable">Why the batch has no answer (JSON: the status or the error), or null when it has one.</param>
/// <param name="ById">The answers by identity number; numbers the gateway left out are absent (nothing is concluded about them).</param>
public sealed record CitizenStatuses(string Source, string? Unavailable, IReadOnlyDictionary<string, CitizenStatus> ById);

/// <summary>
/// Gateway client for both registries (contract: api-specs/registry-gateway.openapi.json). Each registry has its own
/// Polly pipeline — timeout per attempt, jittered retries, circuit breaker — so one registry's outage never blocks
/// the other. Sends only the identity number (and ward for the poverty list); compares names and dates here.
/// </summary>
public sealed class RegistryGateway(HttpClient http, IOptions<RegistryOptions> options,
    [FromKeyedServices(RegistryNames.Population)] ResiliencePipeline<HttpResponseMessage> population,
    [FromKeyedServices(RegistryNames.Poverty)] ResiliencePipeline<HttpResponseMessage> poverty)
{
    public async Task<RegistryResult> VerifyCitizenAsync(string idNumber, string fullName, DateOnly birthDate, CancellationToken ct)
    {
        if (WhenSwitchedOff(options.Value, RegistryNames.Population) is { } off) return off;
        var o = options.Value.Population;
        var source = Source(o, PopulationName);
        return await CallAsync(population, o, "citizens/lookup", new { idNumber }, source, async response =>
        {
            if (response.StatusCode == HttpStatusCode.NotFound) return new RegistryResult("not-found", null, source);
            var found = await response.Content.ReadFromJsonAsync<CitizenRecord>(JsonSerializerOptions.Web, ct);
            var differing = new List<string>();
            if (found?.FullName is null || Normalize(found.FullName) != Normalize(fullName)) differing.Add("fullName");
            if (found?.DateOfBirth != birthDate) differing.Add("dateOfBirth");
            return differing.Count == 0
                ? new RegistryResult("verified", null, source)
                : new RegistryResult("mismatch", JsonSerializer.Serialize(new { differingFields = differing }, JsonSerializerOptions.Web), source);
        }, ct);
    }

    public async Task<RegistryResult> LookUpHouseholdAsync(string idNumber, string? wardCode, CancellationToken ct)
    {
        if (WhenSwitchedOff(options.Value, RegistryNames.Poverty) is { } off) return off;
        var o = options.Value.Poverty;
        var source = Source(o, PovertyName);
        return await CallAsync(poverty, o, "households/lookup", new { idNumber, wardCode }, source, async response =>
        {
            if (response.StatusCode == HttpStatusCode.NotFound) return new RegistryResult("not-listed", null, source);
            var household = await response.Content.ReadFromJsonAsync<HouseholdRecord>(JsonSerializerOptions.Web, ct);
            return new RegistryResult("listed", JsonSerializer.Serialize(new { household?.Category, household?.ListYear, household?.HouseholdCode }, JsonSerializerOptions.Web), source);
        }, ct);
    }

    /// <summary>The most identity numbers one status check may carry (the contract's maxItems).</summary>
    public const int StatusBatchLimit = 500;

    /// <summary>
    /// The population registry's status of up to <see cref="StatusBatchLimit"/> people at once (the periodic check of
    /// active beneficiaries): alive or deceased (with the date of death), and where they live. The numbers travel in the
    /// body only. The whole batch is answered or unavailable: an entry the contract does not allow is left out.
    /// </summary>
    public async Task<CitizenStatuses> CheckStatusesAsync(IReadOnlyCollection<string> idNumbers, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(idNumbers.Count, StatusBatchLimit);
        var o = options.Value.Population;
        var source = Source(o, PopulationName);
        if (WhenSwitchedOff(options.Value, RegistryNames.Population) is { } off) return new(source, off.Source, new Dictionary<string, CitizenStatus>());
        return await CallAsync(population, o, "citizens/status-check", new { idNumbers }, async response =>
        {
            if (response.StatusCode != HttpStatusCode.OK)
                return new CitizenStatuses(source, JsonSerializer.Serialize(new { status = (int)response.StatusCode }, JsonSerializerOptions.Web), new Dictionary<string, CitizenStatus>());
            var answer = await response.Content.ReadFromJsonAsync<StatusCheckAnswer>(JsonSerializerOptions.Web, ct);
            var asked = idNumbers.ToHashSet(StringComparer.Ordinal);
            var byId = new Dictionary<string, CitizenStatus>(StringComparer.Ordinal);
            foreach (var r in answer?.Results ?? [])
            {
                if (r.IdNumber is not { } id || !asked.Contains(id) || r.Status is not ("alive" or "deceased" or "not-found")) continue;
                if (r.Status == "deceased" && r.DateOfDeath is null) continue;   // the contract requires the date: no guess
                byId[id] = new CitizenStatus(r.Status, r.DateOfDeath, r.Residence?.WardCode is { Length: 5 } w && w.All(char.IsAsciiDigit) ? w : null,
                    r.Residence?.Since);
            }
            return new CitizenStatuses(source, null, byId);
        }, details => new CitizenStatuses(source, details, new Dictionary<string, CitizenStatus>()), ct);
    }

    private Task<RegistryResult> CallAsync(ResiliencePipeline<HttpResponseMessage> pipeline, RegistryGatewayOptions o, string path, object body,
        string source, Func<HttpResponseMessage, Task<RegistryResult>> read, CancellationToken ct) =>
        CallAsync(pipeline, o, path, body, read, details => new RegistryResult("unavailable", details, source), ct);

    private async Task<T> CallAsync<T>(ResiliencePipeline<HttpResponseMessage> pipeline, RegistryGatewayOptions o, string path, object body,
        Func<HttpResponseMessage, Task<T>> read, Func<string, T> unavailable, CancellationToken ct)
    {
        try
        {
            using var response = await pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(o.BaseUrl!.TrimEnd('/') + "/"), path))
                {
                    Content = JsonContent.Create(body, options: JsonSerializerOptions.Web),
                };
                if (!string.IsNullOrEmpty(o.ApiKey)) request.Headers.Add("X-Api-Key", o.ApiKey);
                return await http.SendAsync(request, token);
            }, ct);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound) return await read(response);
            return unavailable(JsonSerializer.Serialize(new { status = (int)response.StatusCode }, JsonSerializerOptions.Web));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or JsonException
            || e is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return unavailable(JsonSerializer.Serialize(new { error = e.GetType().Name }, JsonSerializerOptions.Web));
        }
    }

    /// <summary>The answer of a registry whose gateway is switched off (no address configured), or null when it is on.</summary>
    public static RegistryResult? WhenSwitchedOff(RegistryOptions options, string registry)
    {
        var (o, name, setting) = registry == RegistryNames.Population
            ? (options.Population, PopulationName, "Registries:Population:BaseUrl")
            : (options.Poverty, PovertyName, "Registries:Poverty:BaseUrl");
        return string.IsNullOrWhiteSpace(o.BaseUrl) ? Disabled(Source(o, name), setting) : null;
    }

    private const string PopulationName = "Cơ sở dữ liệu quốc gia về dân cư";
    private const string PovertyName = "Danh sách hộ nghèo, hộ cận nghèo";

    private static string Source(RegistryGatewayOptions o, string name) =>
        o.SourceName ?? (string.IsNullOrWhiteSpace(o.BaseUrl) ? name : $"{name} (cổng {new Uri(o.BaseUrl).Host})");

    private static RegistryResult Disabled(string source, string setting) =>
        new("disabled", null, $"{source}: cổng kết nối chưa được bật ({setting} trống) — cán bộ đối chiếu thủ công.");

    private static string Normalize(string name) =>
        string.Join(' ', name.Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    public static ResiliencePipeline<HttpResponseMessage> BuildPipeline(RegistryOptions o) => new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = Transient,
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = Transient,
            FailureRatio = 0.5,
            MinimumThroughput = Math.Max(o.BreakerMinimumThroughput, 2),
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(30),
        })
        .AddTimeout(o.AttemptTimeout)
        .Build();

    private static readonly PredicateBuilder<HttpResponseMessage> Transient = new PredicateBuilder<HttpResponseMessage>()
        .Handle<HttpRequestException>()
        .Handle<TimeoutRejectedException>()
        .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    private sealed record CitizenRecord(string? FullName, DateOnly? DateOfBirth);

    private sealed record HouseholdRecord(string? Category, int? ListYear, string? HouseholdCode);

    private sealed record StatusCheckAnswer(IReadOnlyList<StatusEntry>? Results);

    private sealed record StatusEntry(string? IdNumber, string? Status, DateOnly? DateOfDeath, Residence? Residence);

    private sealed record Residence(string? WardCode, DateOnly? Since);
}

public static class RegistrySetup
{
    public static IServiceCollection AddRegistries(this IServiceCollection services)
    {
        services.AddSettings<RegistryOptions>(RegistryOptions.Section);
        foreach (var name in new[] { RegistryNames.Population, RegistryNames.Poverty })
            services.AddKeyedSingleton(name, (sp, _) => RegistryGateway.BuildPipeline(sp.GetRequiredService<IOptions<RegistryOptions>>().Value));
        services.AddHttpClient<RegistryGateway>(c => c.Timeout = TimeSpan.FromMinutes(1)).WithoutRedirects();   // a 3xx: unavailable
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, CheckBeneficiariesSchedule>();
        return services;
    }
}
