using System.Text.Json;
using Json.Schema;
using OneStopWindow.Api.Tests.Infrastructure;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>The checked-in outbound contracts (api-specs/*.openapi.json): what is really sent must satisfy them.</summary>
public static class Contracts
{
    /// <summary>Errors of <paramref name="instance"/> against components.schemas.<paramref name="schema"/> of the spec file (empty = valid).</summary>
    public static IReadOnlyList<string> Check(string specFile, string schema, JsonElement instance)
    {
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "api-specs", specFile)));
        var definition = spec.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema).Clone();
        var built = JsonSchema.Build(definition, new BuildOptions(), new Uri($"https://contracts.test/{schema}/{Guid.NewGuid():N}"));
        var result = built.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid ? [] : (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
    }
}
