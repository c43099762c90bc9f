using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

[Collection(ApiHost.Name)]
public sealed class OpenApiDocumentTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    private async Task<string> ServedAsync() => await client.GetStringAsync("/swagger/v1/swagger.json");

    /// <summary>To regenerate on purpose: UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests</summary>
    [Fact]
    public async Task The_checked_in_document_is_the_one_the_service_serves()
    {
        var served = await ServedAsync();
        var checkedIn = Path.Combine(RepositoryRoot.Path, "api-specs", "openapi.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(checkedIn, served);

        Assert.True(File.Exists(checkedIn), "api-specs/openapi.json is missing: run UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests");
        Assert.Equal(await File.ReadAllTextAsync(checkedIn), served);
    }

    [Fact]
    public async Task Every_operation_has_a_summary_and_typed_responses()
    {
        var doc = JsonNode.Parse(await ServedAsync())!;
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                Assert.False(string.IsNullOrWhiteSpace(op!["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
                var responses = op["responses"]!.AsObject();
                Assert.Contains(responses, r => r.Key.StartsWith('2') && r.Value!["content"] is not null);
                Assert.Contains(responses, r => r.Key.StartsWith('4'));
            }
    }

    [Fact]
    public async Task Every_request_example_in_the_document_succeeds_when_sent_as_is()
    {
        var doc = JsonNode.Parse(await ServedAsync())!;
        var sent = 0;
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                if (op!["requestBody"] is not { } body) continue;
                var example = body["content"]?["application/json"]?["example"];
                Assert.True(example is not null, $"{method} {path} has a body but no example");
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path)
                {
                    Content = JsonContent.Create(example, options: Support.Json.Web),
                };
                using var response = await client.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, $"{method} {path} example answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                sent++;
            }
        Assert.True(sent > 0);
    }
}

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "OneStopWindow.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("OneStopWindow.sln not found above " + AppContext.BaseDirectory);
    }
}
