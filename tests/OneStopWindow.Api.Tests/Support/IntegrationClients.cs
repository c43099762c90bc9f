using System.Net.Http.Json;
using System.Text.Json;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>An integration client as the administrator registered it: its id and its (once-shown) key.</summary>
public sealed record RegisteredClient(Guid Id, string KeyId, string Key);

public static class IntegrationClients
{
    public static async Task<RegisteredClient> RegisterClientAsync(this ApiFactory api, string[] scopes, string[]? procedures = null, string[]? wards = null)
    {
        using var admin = api.As("administrator");
        using var response = await admin.PostAsJsonAsync("/api/v1/clients",
            new { name = "Hệ thống thử nghiệm " + Guid.NewGuid().ToString("N")[..6], scopes, procedures, wards });
        var json = await response.ReadJsonAsync();
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"Expected 201, got {(int)response.StatusCode}: {json}");
        return new(json.GetProperty("client").GetProperty("id").GetGuid(), json.GetProperty("keyId").GetString()!, json.GetProperty("apiKey").GetString()!);
    }

    /// <summary>An HTTP client that authenticates with an API key.</summary>
    public static HttpClient WithKey(this ApiFactory api, string key)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Pages the event feed from <paramref name="after"/> until it reports no more.</summary>
    public static async Task<(List<JsonElement> Events, string Cursor)> ReadAllEventsAsync(this HttpClient client, string? after = null, int limit = 200)
    {
        var all = new List<JsonElement>();
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/events?limit={limit}" + (after is null ? "" : $"&after={after}"));
            all.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.Clone()));
            after = page.GetProperty("nextCursor").GetString();
            if (!page.GetProperty("hasMore").GetBoolean()) return (all, after!);
        }
    }

    public static async Task<JsonElement> SubmitAsClientAsync(this HttpClient client, ADossier dossier, string externalReference, int expectedStatus = 201)
    {
        var body = dossier.Body.DeepClone().AsObject();
        body["externalReference"] = externalReference;
        using var response = await client.PostAsJsonAsync("/api/v1/integration/dossiers", body);
        var json = await response.ReadJsonAsync();
        if ((int)response.StatusCode != expectedStatus) throw new InvalidOperationException($"Expected {expectedStatus}, got {(int)response.StatusCode}: {json}");
        return json;
    }
}
