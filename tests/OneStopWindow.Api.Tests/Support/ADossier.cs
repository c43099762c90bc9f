using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Features.Dossiers.Submit;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>Builds submission bodies from the OpenAPI example (which the catalogue keeps valid).</summary>
public sealed class ADossier
{
    private static int counter;
    private readonly JsonObject body = SubmitExamples.SubmitDossier().AsObject();

    public static ADossier Valid() => new ADossier().ForPerson(UniqueIdNumber());

    /// <summary>A distinct, well-formed identity number per call (born 1950, female, registered in Phú Thọ 025).</summary>
    public static string UniqueIdNumber() => "025150" + Interlocked.Increment(ref counter).ToString("000000", System.Globalization.CultureInfo.InvariantCulture)
        .PadLeft(6, '0')[^6..];

    public ADossier ForPerson(string idNumber) { body["applicant"]!["idNumber"] = idNumber; return this; }
    public ADossier LivingIn(string unitCode, string era = "current") { body["residence"]!["unitCode"] = unitCode; body["residence"]!["era"] = era; return this; }
    public ADossier With(string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode node = body;
        foreach (var p in parts[..^1]) node = node[p]!;
        node[parts[^1]] = value;
        return this;
    }
    public ADossier Without(string path)
    {
        var parts = path.Split('.');
        JsonNode node = body;
        foreach (var p in parts[..^1]) node = node[p]!;
        node.AsObject().Remove(parts[^1]);
        return this;
    }

    public JsonObject Body => body;

    /// <summary>Submits the body (or, when given, <paramref name="content"/> carrying it) and requires 201.</summary>
    public async Task<Receipt> SubmitAsync(HttpClient client, string? idempotencyKey = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dossiers") { Content = content ?? JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        var json = await response.ReadJsonAsync();
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"Expected 201, got {(int)response.StatusCode}: {json}");
        return new Receipt(json.GetProperty("code").GetString()!, json.GetProperty("trackingSecret").GetString()!, json);
    }
}

public sealed record Receipt(string Code, string Secret, JsonElement Json)
{
    public async Task<JsonElement> StatusAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{Code}");
        request.Headers.Add("X-Tracking-Secret", Secret);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.ReadJsonAsync();
    }

    /// <summary>Reads the dossier and returns its ETag, for the If-Match of the next action.</summary>
    public async Task<string> ETagAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{Code}");
        request.Headers.Add("X-Tracking-Secret", Secret);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag!.Tag;
    }

    /// <summary>POSTs a lifecycle action with the current ETag (or the one given) and returns the response.</summary>
    public async Task<HttpResponseMessage> ActAsync(HttpClient client, string action, object? body = null, string? etag = null, bool withSecret = false)
    {
        etag ??= await ETagAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dossiers/{Code}/{action}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        if (withSecret) request.Headers.Add("X-Tracking-Secret", Secret);
        return await client.SendAsync(request);
    }

    /// <summary>Like <see cref="ActAsync"/> but requires 200 and returns the dossier.</summary>
    public async Task<JsonElement> DoAsync(HttpClient client, string action, object? body = null, bool withSecret = false)
    {
        using var response = await ActAsync(client, action, body, withSecret: withSecret);
        var json = await response.ReadJsonAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{action} answered {(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>
    /// The workflow's event kinds. Registry checks and the papers' issue (rendered after the event's commit) run beside the
    /// workflow and land at any point, so they are left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> EventKindsAsync(HttpClient client) =>
        (await AllEventKindsAsync(client)).Where(k => k is not "RegistryChecked" and not "PaperIssued").ToList();

    public async Task<IReadOnlyList<string>> AllEventKindsAsync(HttpClient client) =>
        (await TimelineAsync(client)).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToList();

    public async Task<JsonElement> TimelineAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{Code}/timeline");
        request.Headers.Add("X-Tracking-Secret", Secret);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.ReadJsonAsync();
    }

    /// <summary>Polls until intake has moved the dossier out of Submitted.</summary>
    public Task<JsonElement> AfterIntakeAsync(HttpClient client, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => StatusAsync(client), s => s.GetProperty("status").GetString() != "Submitted",
            timeout ?? TimeSpan.FromSeconds(20), $"intake of {Code}");
}
