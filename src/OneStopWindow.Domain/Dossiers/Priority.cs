using System.Globalization;
using System.Text;
using System.Text.Json;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// The priority order of the work queues (<c>order=priority</c>), in this order:
/// 1. urgency (<see cref="Deadline.Urgency"/>) — overdue first, then at risk, then the rest;
/// 2. at equal urgency, need — the handling ward's zone and ethnic-minority region level, plus a vulnerable applicant;
/// 3. then the earlier appointment date, then the dossier code.
/// The weights are the province's choice, not a decree's (no official list of the new units' zones exists yet; Decree
/// 272/2025 sets the 2026–2030 criteria): data here, with the SQL the queues sort by generated from the same data.
/// </summary>
public static class Priority
{
    /// <summary>Need points of the handling ward's zone (urban and lowland: none).</summary>
    public static IReadOnlyDictionary<string, int> ZoneWeights { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["mountainous"] = 2,
        ["midland"] = 1,
    };

    /// <summary>Need points of the ward's ethnic-minority region level ("none" or not yet determined: none).</summary>
    public static IReadOnlyDictionary<string, int> EthnicRegionWeights { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["III"] = 3,
        ["II"] = 2,
        ["I"] = 1,
    };

    /// <summary>Need points of a vulnerable applicant (<see cref="Vulnerability"/>).</summary>
    public const int VulnerableWeight = 2;

    /// <summary>Aged this or more at filing: vulnerable.</summary>
    public const int ElderlyAge = 75;

    /// <summary>Younger than this at filing: a child.</summary>
    public const int ChildAge = 16;

    /// <summary>The rule in words, with the at-risk window in force (<see cref="Deadline.Horizon.AtRiskWorkingDays"/>).</summary>
    public static string Describe(int atRiskWorkingDays) => string.Create(CultureInfo.InvariantCulture,
        $"Ưu tiên: (1) quá hạn → sắp đến hạn (≤ {atRiskWorkingDays} ngày làm việc) → còn lại; " +
        $"(2) cùng mức khẩn cấp thì điểm nhu cầu cao hơn trước: " +
        $"miền núi +{ZoneWeights["mountainous"]}, trung du +{ZoneWeights["midland"]}; vùng DTTS khu vực III +{EthnicRegionWeights["III"]}, " +
        $"II +{EthnicRegionWeights["II"]}, I +{EthnicRegionWeights["I"]}; người nộp thuộc nhóm yếu thế +{VulnerableWeight} " +
        $"(từ {ElderlyAge} tuổi, hộ nghèo/cận nghèo, người khuyết tật, trẻ em); (3) ngày hẹn sớm hơn; (4) mã hồ sơ.");

    public static int ZoneWeight(string? zone) => zone is not null && ZoneWeights.TryGetValue(zone, out var w) ? w : 0;

    public static int EthnicRegionWeight(string? region) => region is not null && EthnicRegionWeights.TryGetValue(region, out var w) ? w : 0;

    public static int Need(string? zone, string? ethnicRegion, bool vulnerable) =>
        ZoneWeight(zone) + EthnicRegionWeight(ethnicRegion) + (vulnerable ? VulnerableWeight : 0);

    /// <summary>A dossier's place in a priority-ordered queue; ordered as the queues are.</summary>
    public readonly record struct Key(int Urgency, int Need, DateOnly AppointmentDate, string Code) : IComparable<Key>
    {
        public int CompareTo(Key other)
        {
            var c = Urgency.CompareTo(other.Urgency);
            if (c == 0) c = other.Need.CompareTo(Need);
            if (c == 0) c = AppointmentDate.CompareTo(other.AppointmentDate);
            return c != 0 ? c : string.CompareOrdinal(Code, other.Code);
        }
    }

    /// <summary>
    /// Whether the beneficiary (the person the benefit is for: the form's <c>beneficiary</c>, else the applicant born on
    /// <paramref name="applicantBirthDate"/>) is vulnerable, and why (null when not). Judged at intake from the filing itself.
    /// </summary>
    public static string? Vulnerability(string procedureCode, string formJson, DateOnly applicantBirthDate, DateOnly receivedDay)
    {
        using var parsed = JsonDocument.Parse(formJson);
        var birthDate = Applicants.Beneficiary.BirthDate(parsed.RootElement, applicantBirthDate);
        var reasons = new List<string>();
        var age = Applicants.Beneficiary.AgeOn(birthDate, receivedDay);
        if (age >= ElderlyAge) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"người cao tuổi ({age} tuổi)"));
        if (age < ChildAge) reasons.Add("trẻ em");
        if (PovertyClaim.From(procedureCode, formJson) is { } household) reasons.Add(household == "poor" ? "hộ nghèo" : "hộ cận nghèo");
        using var form = JsonDocument.Parse(formJson);
        var group = form.RootElement.TryGetProperty("beneficiaryGroup", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() ?? "" : "";
        if (group.StartsWith("disability", StringComparison.Ordinal) || procedureCode == "BTXH-04") reasons.Add("người khuyết tật");
        if (group.StartsWith("child", StringComparison.Ordinal) && age >= ChildAge) reasons.Add("trẻ em");
        return reasons.Count == 0 ? null : string.Join(", ", reasons.Distinct());
    }

    /// <summary>
    /// SQL for the need score of a <c>dossier</c> row: its <c>vulnerable</c> flag and the current zone of its handling
    /// ward (table <c>ward_zone</c>), weighted as above. The score changes only on writes (routing, a ward assigned, a
    /// ward's zone recorded, new weights), so it is stored in <c>dossier.need_score</c> by those writes, not computed by reads.
    /// </summary>
    public static string NeedSql { get; } = NeedSqlFor("dossier.handling_ward_code", "vulnerable");

    /// <summary>The queues' ORDER BY, over the columns <c>urgency_rank</c> (<see cref="Deadline.Sql.Urgency"/>) and <c>need_score</c>.</summary>
    public const string OrderBySql = "urgency_rank, need_score DESC, appointment_date, code";

    /// <summary>
    /// <see cref="NeedSql"/> over other expressions for the ward and the flag — for an UPDATE that sets them in the same
    /// statement (its SET reads the row's old values), e.g. <c>NeedSqlFor("@Ward", "vulnerable")</c>.
    /// </summary>
    public static string NeedSqlFor(string wardCode, string vulnerable)
    {
        static string Case(string column, IReadOnlyDictionary<string, int> weights)
        {
            var sql = new StringBuilder("CASE ").Append(column);
            foreach (var (value, points) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
                sql.Append(CultureInfo.InvariantCulture, $" WHEN '{value}' THEN {points}");
            return sql.Append(" ELSE 0 END").ToString();
        }
        return string.Create(CultureInfo.InvariantCulture, $"""
            ({vulnerable} * {VulnerableWeight} + COALESCE((SELECT {Case("z.zone", ZoneWeights)} + {Case("z.ethnic_region", EthnicRegionWeights)}
                                        FROM ward_zone z WHERE z.ward_code = {wardCode} AND z.valid_to IS NULL), 0))
            """);
    }
}
