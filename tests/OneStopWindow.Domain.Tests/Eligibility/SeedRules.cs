using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Domain.Tests.Eligibility;

/// <summary>The catalogue's seeded <c>benefit.parameters</c> (src/OneStopWindow.Api/Infrastructure/Data/Seed/procedures.json), the rules the tests start from.</summary>
internal static class SeedRules
{
    public static readonly DateOnly SeedValidFrom = new(2024, 7, 1);

    private static readonly Lazy<JsonArray> Catalogue = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "OneStopWindow.Api", "Infrastructure", "Data", "Seed", "procedures.json")))!.AsArray());

    /// <summary>A fresh, changeable copy of one procedure's parameters.</summary>
    public static JsonObject Parameters(string procedureCode) =>
        Catalogue.Value.Single(p => (string?)p!["code"] == procedureCode)!["benefit"]!["parameters"]!.DeepClone().AsObject();

    public static BenefitRuleSet Set(JsonNode parameters, DateOnly validFrom, DateOnly? validTo = null) =>
        BenefitRuleSet.FromParameters(JsonSerializer.SerializeToElement(parameters), validFrom, validTo);

    /// <summary>The seeded version of <paramref name="procedureCode"/> (valid from 2024-07-01), changed by <paramref name="change"/>.</summary>
    public static BenefitRules Rules(string procedureCode, Action<JsonObject>? change = null)
    {
        var parameters = Parameters(procedureCode);
        change?.Invoke(parameters);
        return new([Set(parameters, SeedValidFrom)]);
    }

    public static DateOnly D(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OneStopWindow.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("OneStopWindow.sln not found above " + AppContext.BaseDirectory);
    }
}
