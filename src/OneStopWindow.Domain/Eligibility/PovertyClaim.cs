using System.Text.Json;

namespace OneStopWindow.Domain.Eligibility;

/// <summary>Which household status a filing claims, read from the procedure's own form fields (null: it claims none).</summary>
public static class PovertyClaim
{
    public static string? From(string procedureCode, string formJson)
    {
        using var form = JsonDocument.Parse(formJson);
        string? Field(string name) => form.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return procedureCode switch
        {
            "BTXH-01" => Field("beneficiaryGroup") is { } g && g.Contains("poor", StringComparison.Ordinal) ? "poor" : null,
            "BTXH-06" or "BHYT-01" => Field("householdStatus") is "poor" or "near-poor" ? Field("householdStatus") : null,
            "GN-02" => Field("currentStatus") is "poor" or "near-poor" ? Field("currentStatus") : null,
            "TD-01" => "poor",
            "DN-01" => Field("targetGroup") switch { "poor-household" => "poor", "near-poor-household" => "near-poor", _ => null },
            _ => null,
        };
    }
}
