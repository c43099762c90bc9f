namespace OneStopWindow.Domain.Eligibility;

// Obsolete (issue 16): the amounts now come from dated rule data (BenefitRules, BenefitDecider.Decide); StandardLevel
// and BenefitCalculator stay until the API switches to them, then go.

/// <summary>
/// The base standard level of social assistance (mức chuẩn trợ giúp xã hội), effective-dated: amounts are
/// computed for a month, never frozen. A province may set a higher local level (Phú Thọ's: unconfirmed).
/// </summary>
public static class StandardLevel
{
    private static readonly (DateOnly From, decimal Vnd, string Source)[] History =
    [
        (new(2013, 1, 1), 270_000m, "Nghị định 136/2013/NĐ-CP"),
        (new(2021, 7, 1), 360_000m, "Nghị định 20/2021/NĐ-CP"),
        (new(2024, 7, 1), 500_000m, "Nghị định 76/2024/NĐ-CP"),
    ];

    public static (decimal Vnd, string Source) For(DateOnly month)
    {
        var row = History.Last(h => h.From <= month);
        return (row.Vnd, row.Source);
    }
}

/// <summary>A benefit decided for a dossier: monthly (allowance, pension) or one-off (funeral, emergency).</summary>
public sealed record BenefitAmount(decimal Vnd, bool Monthly, decimal? Coefficient, decimal? StandardLevelVnd, string Basis);

/// <summary>
/// Monthly social allowance = coefficient × standard level (Decree 20/2021 Arts. 5–6 as amended by Decree
/// 76/2024); where a person fits several, only the highest coefficient is paid. Coefficients marked
/// unconfirmed in DOMAIN.md §2.2 (groups 1–3, 7, 8) are the recalled values, to verify before go-live.
/// </summary>
public static class BenefitCalculator
{
    public static BenefitAmount? Compute(string procedureCode, IReadOnlyDictionary<string, string> form, DateOnly birthDate, DateOnly decisionDate)
    {
        var month = new DateOnly(decisionDate.Year, decisionDate.Month, 1);
        var (standard, source) = StandardLevel.For(month);
        switch (procedureCode)
        {
            case "BTXH-01" or "BTXH-02" when form.TryGetValue("beneficiaryGroup", out var group):
                var children = form.TryGetValue("numberOfChildrenRaised", out var c) && int.TryParse(c, out var n) ? n : 1;
                var coefficient = Coefficient(group, AgeOn(birthDate, month), children);
                return coefficient is null ? null
                    : new(coefficient.Value * standard, true, coefficient, standard, $"Nghị định 20/2021/NĐ-CP Điều 6; mức chuẩn theo {source}");
            case "BTXH-05":
                // Social pension: 500,000 VND/month (Law on Social Insurance 2024, Decree 176/2025).
                return new(500_000m, true, null, null, "Luật Bảo hiểm xã hội 2024; Nghị định 176/2025/NĐ-CP");
            case "BTXH-03":
                // Funeral support: 20 × standard (Decree 20/2021 Art. 11; multiple unconfirmed for Decree 20).
                return new(20 * standard, false, 20, standard, $"Nghị định 20/2021/NĐ-CP Điều 11; mức chuẩn theo {source}");
            case "BTXH-06" when form.TryGetValue("damageType", out var damage):
                decimal? minimum = damage switch
                {
                    "house-collapsed-washed-away-or-burned" => 40_000_000m,
                    "urgent-relocation" => 30_000_000m,
                    "severely-damaged" => 20_000_000m,
                    _ => null,
                };
                return minimum is null ? null : new(minimum.Value, false, null, null, "Nghị định 20/2021/NĐ-CP Điều 15 (mức tối thiểu)");
            default:
                return null;
        }
    }

    /// <summary>The coefficient of a Decree 20 Art. 5 group for a person of the given age (whole years).</summary>
    public static decimal? Coefficient(string group, int age, int childrenRaised = 1) => group switch
    {
        "child-without-care" => age < 4 ? 2.5m : 1.5m,
        "youth-in-study" => 1.5m,
        "child-hiv-poor" => age < 4 ? 2.5m : 2.0m,
        "single-parent-poor" => 1.0m * Math.Max(1, childrenRaised),
        "elderly-poor-no-supporter" => age >= 80 ? 2.0m : 1.5m,
        "elderly-75-80-em-area" => 1.0m,
        "elderly-80-no-pension" => 1.0m,
        "elderly-community-care" => 3.0m,
        "disability-severe" => age < 16 || age >= 60 ? 2.0m : 1.5m,
        "disability-extremely-severe" => age < 16 || age >= 60 ? 2.5m : 2.0m,
        "child-under-3-em-area" => 1.5m,
        "hiv-poor" => 1.5m,
        _ => null,
    };

    public static int AgeOn(DateOnly birthDate, DateOnly day) => BenefitDecider.AgeOn(birthDate, day);
}
