using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneStopWindow.Api.Features.Dossiers.Submit;

/// <summary>The request examples of the submission endpoints (citizen and integration), valid as they are.</summary>
public static class SubmitExamples
{
    /// <summary>
    /// An elderly woman of a poor household in Phường Hòa Bình applying for the monthly social allowance.
    /// The form fields are the catalogue's own example for BTXH-01, so the two cannot drift apart.
    /// </summary>
    public static JsonNode SubmitDossier() => new JsonObject
    {
        ["procedureCode"] = "BTXH-01",
        ["applicant"] = new JsonObject
        {
            ["fullName"] = "Nguyễn Thị Lan",
            ["dateOfBirth"] = "1950-03-15",
            ["idNumber"] = "025150001234",
            ["phone"] = "0912345678",
            ["email"] = null,
        },
        ["residence"] = new JsonObject { ["era"] = "current", ["unitCode"] = "04795", ["detail"] = "Tổ 5, đường Lý Nam Đế" },
        ["channel"] = "online",
        ["formFields"] = JsonNode.Parse(CatalogueExample("BTXH-01")),
    };

    /// <summary>The same filing arriving from the national public service portal's connector, with the portal's own reference.</summary>
    public static JsonNode SubmitIntegrationDossier()
    {
        var body = new JsonObject { ["externalReference"] = "DVCQG-G22.25-251129-000123" };
        foreach (var (name, value) in SubmitDossier().AsObject()) body[name] = value?.DeepClone();
        return body;
    }

    private static string CatalogueExample(string code)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Seed.procedures.json", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(assembly.GetManifestResourceStream(name)!);
        return doc.RootElement.EnumerateArray().Single(p => p.GetProperty("code").GetString() == code).GetProperty("exampleForm").GetRawText();
    }
}
