namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// Refusal at reception (Form 03, "Phiếu từ chối tiếp nhận giải quyết hồ sơ", Circular 01/2018/TT-VPCP; national status 3,
/// DOMAIN.md §1.3, §1.4, §10 item 5): a dossier outside the unit's competence or not in the catalogue is refused with
/// written reasons. The reason is one of a closed list; the explanation, for the applicant, is required.
/// </summary>
public static class ReceptionRefusal
{
    public const string OutsideCompetence = "outside-competence";
    public const string NotCoveredByProcedure = "not-covered-by-procedure";

    /// <summary>The Form 03 reasons, by code, with their label in Vietnamese and in English.</summary>
    public static IReadOnlyDictionary<string, (string Vi, string En)> Reasons { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [OutsideCompetence] = ("Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã/phường", "The dossier is outside the ward's competence"),
        [NotCoveredByProcedure] = ("Yêu cầu không thuộc phạm vi của thủ tục hành chính đã chọn", "The request is not what the chosen procedure covers"),
    };

    public const int ExplanationMaxLength = 2000;

    public static string Label(string reason, bool english) => Reasons.TryGetValue(reason, out var l) ? (english ? l.En : l.Vi) : reason;
}
