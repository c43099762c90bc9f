using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>
/// The population registry and poverty-list gateways as a real HTTP server on 127.0.0.1, speaking the contract in
/// api-specs/registry-gateway.openapi.json. Tests script answers per identity number; unknown numbers get 404 (a lookup)
/// or <c>not-found</c> (the batch status check).
/// </summary>
public sealed class RegistryStub : IAsyncDisposable
{
    public const string Key = "registry-gateway-test-key";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpContext, Task>>> scripts = new();
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> standing = new();
    private readonly ConcurrentDictionary<string, object> statuses = new();
    private volatile Func<HttpContext, Task>? statusCheckOutage;
    private LocalServer server = null!;

    public Uri BaseAddress => server.BaseAddress;

    public static RegistryStub Start()
    {
        var stub = new RegistryStub();
        stub.server = LocalServer.StartAsync(stub.HandleAsync).GetAwaiter().GetResult();
        return stub;
    }

    /// <summary>Calls the stub received for an identity number (path and body), in order.</summary>
    public List<LocalServer.Hit> CallsFor(string idNumber) => server.Snapshot().Where(h => h.Body.Contains(idNumber, StringComparison.Ordinal)).ToList();

    /// <summary>The next answers for this person's lookups, one per call; then <paramref name="then"/> for good.</summary>
    public void Script(string idNumber, Func<HttpContext, Task> then, params Func<HttpContext, Task>[] first)
    {
        scripts[idNumber] = new ConcurrentQueue<Func<HttpContext, Task>>(first);
        standing[idNumber] = then;
    }

    /// <summary>The status check answers this person as deceased on <paramref name="dateOfDeath"/> ("yyyy-MM-dd").</summary>
    public void Deceased(string idNumber, string dateOfDeath) => statuses[idNumber] = new { idNumber, status = "deceased", dateOfDeath };

    /// <summary>The status check answers this person as alive, registered as living in <paramref name="wardCode"/>.</summary>
    public void LivesIn(string idNumber, string wardCode, string? since = null) =>
        statuses[idNumber] = new { idNumber, status = "alive", residence = new { wardCode, since } };

    /// <summary>Every status check is answered by <paramref name="outage"/> (e.g. a 503) until called again with null.</summary>
    public void StatusCheckAnswers(Func<HttpContext, Task>? outage) => statusCheckOutage = outage;

    /// <summary>The batch status checks received, in order.</summary>
    public List<LocalServer.Hit> StatusChecks() => server.Snapshot().Where(h => h.Path.EndsWith("/citizens/status-check", StringComparison.Ordinal)).ToList();

    public static Func<HttpContext, Task> Status(int code) => http => { http.Response.StatusCode = code; return Task.CompletedTask; };

    public static Func<HttpContext, Task> Redirect(Uri to) => http =>
    {
        http.Response.StatusCode = 302;
        http.Response.Headers.Location = to.ToString();
        return Task.CompletedTask;
    };

    public static Func<HttpContext, Task> Hang(TimeSpan time) => async http => { await Task.Delay(time, http.RequestAborted).ContinueWith(_ => { }); http.Response.StatusCode = 200; };

    public static Func<HttpContext, Task> Citizen(string fullName, string dateOfBirth) =>
        http => http.Response.WriteAsJsonAsync(new { idNumber = "", fullName, dateOfBirth });

    public static Func<HttpContext, Task> Household(string category, int listYear) =>
        http => http.Response.WriteAsJsonAsync(new { listed = true, category, listYear, householdCode = "HN-25-" + listYear });

    private Task HandleAsync(LocalServer.Hit hit, HttpContext http)
    {
        if (hit.Headers.GetValueOrDefault("x-api-key") != Key) return Status(401)(http);
        if (hit.Path.EndsWith("/citizens/status-check", StringComparison.Ordinal))
        {
            if (statusCheckOutage is { } down) return down(http);
            var ids = JsonDocument.Parse(hit.Body).RootElement.GetProperty("idNumbers").EnumerateArray().Select(e => e.GetString() ?? "");
            return http.Response.WriteAsJsonAsync(new
            {
                results = ids.Select(id => statuses.TryGetValue(id, out var s) ? s : new { idNumber = id, status = "not-found" }).ToList(),
            });
        }
        var id = JsonDocument.Parse(hit.Body).RootElement.GetProperty("idNumber").GetString() ?? "";
        // Each registry is scripted under "<path>:<id>" or plain "<id>" for both.
        foreach (var key in new[] { hit.Path.Split('/')[1] + ":" + id, id })
        {
            if (scripts.TryGetValue(key, out var queue) && queue.TryDequeue(out var next)) return next(http);
            if (standing.TryGetValue(key, out var then)) return then(http);
        }
        return Status(404)(http);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
