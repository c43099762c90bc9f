using System.Globalization;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Zones;

/// <summary>
/// Zones and the ethnic-minority region level of each ward/commune, which the priority order
/// (<see cref="Priority"/>) weighs. No official list for the new units exists yet (Decree 272/2025 sets the 2026–2030
/// criteria; its list is unpublished), so this is data provincial officers maintain, with history and the source of every value.
/// </summary>
public static class Zone
{
    public static readonly string[] Values = ["urban", "lowland", "midland", "mountainous"];
    public static readonly string[] EthnicRegions = ["none", "I", "II", "III"];

    public static string Label(string? zone) => zone switch
    {
        "mountainous" => "xã/phường miền núi",
        "midland" => "xã/phường trung du",
        "lowland" => "xã/phường đồng bằng",
        "urban" => "phường đô thị",
        _ => "chưa phân loại",
    };
}

/// <summary>Why a dossier stands where it does in a priority-ordered queue: the terms of <see cref="Priority"/>, in words.</summary>
public static class PriorityReasons
{
    /// <param name="atRiskWorkingDays">The at-risk window in force (<see cref="Deadline.Horizon.AtRiskWorkingDays"/>).</param>
    public static (int Urgency, int Need, IReadOnlyList<string> Reasons) Explain(int urgency, int atRiskWorkingDays, string? zone, string? ethnic,
        string? vulnerability)
    {
        var reasons = new List<string>
        {
            urgency switch
            {
                0 => "Quá hạn",
                1 => string.Create(CultureInfo.InvariantCulture, $"Sắp đến hạn (≤ {atRiskWorkingDays} ngày làm việc)"),
                _ => "Trong hạn",
            },
        };
        if (Priority.ZoneWeight(zone) is > 0 and var z) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{Zone.Label(zone)} (+{z})"));
        if (Priority.EthnicRegionWeight(ethnic) is > 0 and var e) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"vùng đồng bào DTTS khu vực {ethnic} (+{e})"));
        if (vulnerability is not null) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"người nộp thuộc nhóm yếu thế: {vulnerability} (+{Priority.VulnerableWeight})"));
        return (urgency, Priority.Need(zone, ethnic, vulnerability is not null), reasons);
    }
}
