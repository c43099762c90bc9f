using System.Globalization;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Domain.Entitlements;

/// <summary>Where an entitlement's amount comes from in a period.</summary>
public enum AmountSource
{
    /// <summary>Computed for each month by the rules in force that month (coefficient × standard level, the pension amount).</summary>
    Rules,

    /// <summary>A legacy record: paid at the amount imported until a decision of the new ward replaces it.</summary>
    Imported,
}

/// <summary>
/// One period of an entitlement's basis, from <see cref="FromMonth"/> (first day of the month) until the next period or
/// the end. A rule-based period stores what the rules are applied to (<see cref="Claim"/>), never an amount.
/// </summary>
public sealed record EntitlementBasis(DateOnly FromMonth, AmountSource Source, decimal? ImportedVnd, BenefitClaim? Claim);

/// <summary>A monthly benefit a person receives from one ward: the register's row, with its bases over time.</summary>
/// <param name="BenefitCode">The benefit (BTXH-01 social allowance, BTXH-05 social pension); whose rules apply.</param>
/// <param name="EndMonth">Last month paid (inclusive); null while open.</param>
public sealed record Entitlement(string BenefitCode, DateOnly StartMonth, DateOnly? EndMonth, EntitlementStatus Status, IReadOnlyList<EntitlementBasis> Bases)
{
    public bool Covers(DateOnly month)
    {
        var m = Months.First(month);
        return m >= StartMonth && (EndMonth is null || m <= EndMonth);
    }

    /// <summary>The basis in force in <paramref name="month"/>: the latest period starting on or before it.</summary>
    public EntitlementBasis? BasisOn(DateOnly month)
    {
        var m = Months.First(month);
        return Bases.Where(b => b.FromMonth <= m).OrderBy(b => b.FromMonth).LastOrDefault();
    }
}

/// <summary>
/// The amount of one month. <see cref="Vnd"/> is what the entitlement is worth that month (null: not payable by the rules
/// that month — <see cref="NotPayableRule"/> says which rule); for an imported period also what the rules would pay
/// (<see cref="RulesVnd"/>, or <see cref="RulesRefusal"/> when they would pay nothing or cannot tell).
/// </summary>
public sealed record MonthAmount(DateOnly Month, AmountSource Source, decimal? Vnd, string Basis, string? NotPayableRule, decimal? RulesVnd, string? RulesRefusal)
{
    /// <summary>Imported amount minus the rules' amount (positive: the legacy amount pays more than the rules); null for rule-based months.</summary>
    public decimal? DifferenceFromRulesVnd => Source == AmountSource.Imported && Vnd is { } v && RulesVnd is { } r ? v - r : null;
}

public static class EntitlementAmount
{
    /// <summary>
    /// The amount of <paramref name="e"/> for <paramref name="month"/>, by the rules in force that month (Decree 20/2021 Art. 6:
    /// coefficient × the standard level of the month; Decree 176/2025: the social pension of the month), with every age the
    /// beneficiary's on the first day of that month — so a rule version valid from a later month changes the amount from
    /// that month only. Null outside the entitlement's months.
    /// </summary>
    public static MonthAmount? AmountFor(Entitlement e, DateOnly month, BenefitRules rules)
    {
        var m = Months.First(month);
        if (!e.Covers(m) || e.BasisOn(m) is not { } basis) return null;
        var byRules = basis.Claim is { } claim ? ByRules(claim, m, rules) : null;
        if (basis.Source == AmountSource.Imported)
        {
            var vnd = basis.ImportedVnd ?? 0;
            return new(m, AmountSource.Imported, vnd, $"Mức đã nhập từ hệ thống cũ: {Vnd(vnd)}/tháng, chi trả đến khi có quyết định của xã/phường mới.",
                null, byRules?.Vnd, byRules is null ? "no-basis-for-rules" : byRules.Refusal);
        }
        if (byRules is null) return new(m, AmountSource.Rules, null, "Không có căn cứ tính theo quy định.", "no-basis-for-rules", null, null);
        return new(m, AmountSource.Rules, byRules.Vnd, byRules.Basis, byRules.Refusal, null, null);
    }

    private sealed record RulesResult(decimal? Vnd, string Basis, string? Refusal);

    private static RulesResult ByRules(BenefitClaim claim, DateOnly month, BenefitRules rules)
    {
        // A month's amount is the rules applied to the same claim in that month: no other benefit (the higher-of was
        // settled at the decision), no move (the months were fixed at the decision).
        var monthly = claim with
        {
            ProcedureCode = claim.ProcedureCode == "BTXH-02" ? "BTXH-01" : claim.ProcedureCode,
            Request = RequestType.Start,
            OtherMonthlyBenefitVnd = null,
            OtherBenefitCode = null,
            LastMonthPaidElsewhere = null,
        };
        return BenefitDecider.Decide(rules, monthly, month) switch
        {
            BenefitGranted g => new(g.Amount.Vnd, g.Amount.Basis, null),
            BenefitRefused r => new(null, r.Message, r.Rule),
            _ => new(null, "Không có quy định mức trợ cấp cho chế độ này.", "no-rules-in-force"),
        };
    }

    private static string Vnd(decimal vnd) => vnd.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.') + " đồng";
}

/// <summary>Months as the register holds them: the first day of the month, written "yyyy-MM".</summary>
public static class Months
{
    public static DateOnly First(DateOnly day) => new(day.Year, day.Month, 1);

    public static string Format(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateOnly? Parse(string? text) =>
        text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) && m.Year >= 1900
            ? m : null;
}
