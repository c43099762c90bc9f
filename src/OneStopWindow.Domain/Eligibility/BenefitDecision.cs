using System.Globalization;

namespace OneStopWindow.Domain.Eligibility;

/// <summary>What a BTXH-01 request asks (DOMAIN §10.3); BTXH-02 is a change of residence, the other procedures a start.</summary>
public enum RequestType { Start, Adjust, Stop, ChangeOfResidence }

/// <summary>
/// What a decision is made on. Every age is the <b>beneficiary's</b> (the person the benefit is for), not the applicant's,
/// in whole years on the first day of the month considered.
/// </summary>
/// <param name="Groups">Decree 20 Art. 5 groups declared (several allowed; the highest coefficient is paid).</param>
/// <param name="HouseholdPoverty"><c>poor</c>, <c>near-poor</c> or null.</param>
/// <param name="PensionReceivedVnd">The beneficiary's monthly pension or social-insurance benefit (null or 0: none).</param>
/// <param name="OtherMonthlyBenefitVnd">A monthly allowance or social pension the person already receives (the register, other granted dossiers).</param>
/// <param name="OtherBenefitCode">Which procedure that other benefit is (e.g. BTXH-05 for a claim of BTXH-01).</param>
/// <param name="LastMonthPaidElsewhere">Change of residence: the last month the old ward paid (first day of that month).</param>
/// <param name="DamageType">BTXH-06: the kind of damage to the house.</param>
public sealed record BenefitClaim(
    string ProcedureCode,
    RequestType Request,
    DateOnly BeneficiaryBirthDate,
    IReadOnlyList<string> Groups,
    int ChildrenRaised,
    string? HouseholdPoverty,
    decimal? PensionReceivedVnd,
    decimal? OtherMonthlyBenefitVnd,
    string? OtherBenefitCode,
    DateOnly? LastMonthPaidElsewhere,
    string? DamageType);

/// <summary>The outcome of <see cref="BenefitDecider.Decide"/>.</summary>
public abstract record BenefitDecision;

/// <summary>Paid: <see cref="Amount"/> from <see cref="FromMonth"/> (first day of the month) on.</summary>
public sealed record BenefitGranted(BenefitAmount Amount, DateOnly FromMonth) : BenefitDecision;

/// <summary>A stop: paid up to and including <see cref="LastMonth"/>, nothing from the next month.</summary>
public sealed record BenefitStopped(DateOnly LastMonth, string Basis) : BenefitDecision;

/// <summary>Not allowed by the rules: which rule (a stable code), its legal source, and a Vietnamese message for the chair.</summary>
public sealed record BenefitRefused(string Rule, string Source, string Message) : BenefitDecision;

/// <summary>
/// What the rules allow at decision. The decision month is the month of the decision date (Decree 147/2025: paid from
/// the month the chair signs); the rules and every age are those of that month. A stop needs no rules; a change of
/// residence is paid from the month after the last month the old ward paid (DOMAIN §10.3: no month lost or paid twice).
/// The amount is the one for the decision month; a later month's amount is computed with that month's rules.
/// </summary>
public static class BenefitDecider
{
    /// <summary>The text that only one monthly allowance is paid, at the highest coefficient (Decree 20 wording unconfirmed, DOMAIN §10.2).</summary>
    public const string HighestCoefficientSource = "Nghị định 28/2012/NĐ-CP Điều 16 khoản 2; Nghị định 20/2021/NĐ-CP Điều 6";

    /// <summary>Someone entitled to both the social pension and the monthly social allowance receives the higher (DOMAIN §10.1).</summary>
    public const string PensionOrAllowanceSource = "Luật Bảo hiểm xã hội 2024 Điều 21; Nghị định 176/2025/NĐ-CP";

    private const string GroupsSource = "Nghị định 20/2021/NĐ-CP Điều 5";
    private const string ParametersSource = "Danh mục thủ tục: benefit.parameters";

    /// <summary>The decision the rules allow for <paramref name="claim"/> on <paramref name="decisionDate"/>; null for procedures without a benefit.</summary>
    public static BenefitDecision? Decide(BenefitRules rules, BenefitClaim claim, DateOnly decisionDate)
    {
        var month = FirstOf(decisionDate);
        var monthly = claim.ProcedureCode is "BTXH-01" or "BTXH-02" or "BTXH-05";
        if (!monthly && claim.ProcedureCode is not ("BTXH-03" or "BTXH-06")) return null;

        // BTXH-02 is a change of residence whatever the form says; one-off support is always a start.
        var request = claim.ProcedureCode switch
        {
            "BTXH-02" => RequestType.ChangeOfResidence,
            "BTXH-03" or "BTXH-06" => RequestType.Start,
            _ => claim.Request,
        };
        if (request == RequestType.Stop)
            return new BenefitStopped(month,
                $"Thôi hưởng: tháng cuối cùng được chi trả là tháng {Month(month)}, không chi trả từ tháng {Month(month.AddMonths(1))}" +
                $" ({(claim.ProcedureCode == "BTXH-05" ? PensionOrAllowanceSource : "Nghị định 20/2021/NĐ-CP; Nghị định 147/2025/NĐ-CP")}).");

        if (rules.For(month) is not { } set)
            return new BenefitRefused("no-rules-in-force", ParametersSource,
                $"Chưa có quy định mức trợ cấp của thủ tục {claim.ProcedureCode} có hiệu lực trong tháng {Month(month)}.");

        var from = month;
        if (request == RequestType.ChangeOfResidence)
        {
            if (claim.LastMonthPaidElsewhere is not { } last)
                return new BenefitRefused("last-month-paid-required", "Nghị định 147/2025/NĐ-CP",
                    "Chuyển nơi cư trú: cần tháng cuối cùng nơi cư trú cũ đã chi trả để chi trả tiếp từ tháng sau, không mất và không trùng tháng nào.");
            // The old ward paid up to a month before this decision's, never after it (nor before the first rules).
            if (FirstOf(last) >= month || FirstOf(last) < rules.Versions[0].ValidFrom.AddMonths(-1))
                return new BenefitRefused("last-month-paid-implausible", "Nghị định 147/2025/NĐ-CP",
                    $"Tháng cuối cùng nơi cũ đã chi trả ({Month(FirstOf(last))}) phải trước tháng quyết định ({Month(month)}) và trong thời gian có quy định mức trợ cấp.");
            from = FirstOf(last).AddMonths(1);
        }

        if (claim.BeneficiaryBirthDate >= month.AddMonths(1))
            return new BenefitRefused("birth-date-after-month", GroupsSource,
                $"Ngày sinh của người hưởng ({claim.BeneficiaryBirthDate:dd/MM/yyyy}) sau tháng quyết định: cần kiểm tra lại hồ sơ.");
        var age = Applicants.Beneficiary.AgeOn(claim.BeneficiaryBirthDate, month);
        var decided = claim.ProcedureCode switch
        {
            "BTXH-01" or "BTXH-02" => Allowance(set, claim, age, month),
            "BTXH-05" => Pension(set, claim, age),
            "BTXH-03" => Funeral(set),
            _ => Housing(set, claim),
        };
        if (decided.Refused is { } refused) return refused;
        var amount = decided.Amount!;

        if (monthly && claim.OtherMonthlyBenefitVnd is { } other and > 0)
        {
            var source = claim.ProcedureCode == "BTXH-05" || claim.OtherBenefitCode is null or "BTXH-05" ? PensionOrAllowanceSource : HighestCoefficientSource;
            var which = claim.OtherBenefitCode is null ? "" : $" ({claim.OtherBenefitCode})";
            if (other >= amount.Vnd)
                return new BenefitRefused("already-on-higher-benefit", source,
                    $"Người hưởng đang nhận {Vnd(other)}/tháng{which}, không thấp hơn {Vnd(amount.Vnd)}/tháng của thủ tục này: chỉ hưởng một mức cao hơn.");
            // Without the other benefit's amount: the decision is read by the applicant, who may not be the beneficiary.
            amount = amount with { Basis = $"{amount.Basis}; thay khoản trợ cấp hằng tháng đang hưởng, chỉ hưởng mức cao hơn ({source})" };
        }
        return new BenefitGranted(amount, from);
    }

    private static Outcome Allowance(BenefitRuleSet set, BenefitClaim claim, int age, DateOnly month)
    {
        if (claim.Groups.Count == 0)
            return new BenefitRefused("no-group", GroupsSource, "Chưa khai nhóm đối tượng hưởng trợ cấp xã hội hằng tháng.");
        if (set.Groups.Count == 0)
            return new BenefitRefused("no-rules-in-force", ParametersSource, $"Quy định đang áp dụng không có hệ số các nhóm đối tượng (groups) cho tháng {Month(month)}.");

        // The highest coefficient among the declared groups whose conditions are met; refused only when none is
        // (with the first group's reason), so a second group that does not apply costs the person nothing.
        (GroupRule Group, decimal Coefficient, decimal Paid)? best = null;
        BenefitRefused? firstRefusal = null;
        foreach (var code in claim.Groups)
        {
            BenefitRefused? refusal = null;
            if (!set.Groups.TryGetValue(code, out var group))
                refusal = new BenefitRefused("unknown-group", GroupsSource, $"Nhóm đối tượng '{code}' không có trong quy định đang áp dụng.");
            else if (group.CoefficientAt(age) is not { } coefficient)
                refusal = new BenefitRefused("age-outside-group", group.Source.LegalText,
                    $"Người hưởng {age} tuổi trong tháng {Month(month)}, ngoài giới hạn tuổi của nhóm '{code}' ({Limits(group)}).");
            else if (group.RequiresNoPension && claim.PensionReceivedVnd is > 0)
                refusal = new BenefitRefused("group-requires-no-pension", group.Source.LegalText,
                    $"Nhóm '{code}' dành cho người không hưởng lương hưu, trợ cấp bảo hiểm xã hội hằng tháng; " +
                    $"người hưởng đang nhận {Vnd(claim.PensionReceivedVnd.Value)}/tháng.");
            else
            {
                var paid = group.PerChild ? coefficient * Math.Max(1, claim.ChildrenRaised) : coefficient;
                if (best is null || paid > best.Value.Paid) best = (group, coefficient, paid);
            }
            firstRefusal ??= refusal;
        }
        if (best is null) return firstRefusal!;

        var (chosen, perUnit, total) = best!.Value;
        var standard = set.StandardVnd;
        var children = chosen.PerChild ? $" × {Math.Max(1, claim.ChildrenRaised)} người con đang nuôi" : "";
        var highest = claim.Groups.Distinct(StringComparer.Ordinal).Count() > 1
            ? $"; hệ số cao nhất trong {claim.Groups.Count} nhóm đã khai ({HighestCoefficientSource})" : "";
        var basis = $"Nhóm '{chosen.Code}', {age} tuổi: hệ số {Coefficient(perUnit)}{children} ({chosen.Source.LegalText})" +
                    $" × mức chuẩn {Vnd(standard)} ({set.StandardSource.LegalText}){highest}";
        return new BenefitAmount(Dong(total * standard), true, total, standard, basis);
    }

    private static Outcome Pension(BenefitRuleSet set, BenefitClaim claim, int age)
    {
        if (set.Pension is not { } rule)
            return new BenefitRefused("no-rules-in-force", ParametersSource, "Quy định đang áp dụng không có trợ cấp hưu trí xã hội (pension).");
        var poor = claim.HouseholdPoverty is "poor" or "near-poor";
        if (age < rule.Age && !(poor && age >= rule.PoorHouseholdAge))
            return new BenefitRefused("pension-age", rule.Source.LegalText,
                $"Người hưởng {age} tuổi: trợ cấp hưu trí xã hội dành cho người từ đủ {rule.Age} tuổi, " +
                $"hoặc từ đủ {rule.PoorHouseholdAge} tuổi thuộc hộ nghèo, hộ cận nghèo.");
        if (claim.PensionReceivedVnd is { } received && received >= rule.AmountVnd)
            return new BenefitRefused("pension-too-high", rule.Source.LegalText,
                $"Lương hưu, trợ cấp bảo hiểm xã hội hằng tháng đang hưởng {Vnd(received)} không thấp hơn mức trợ cấp hưu trí xã hội {Vnd(rule.AmountVnd)}.");
        var topUp = rule.ProvincialTopUpVnd > 0 ? $" + hỗ trợ thêm của tỉnh {Vnd(rule.ProvincialTopUpVnd)}" : "";
        return new BenefitAmount(rule.AmountVnd + rule.ProvincialTopUpVnd, true, null, null,
            $"Trợ cấp hưu trí xã hội {Vnd(rule.AmountVnd)}{topUp}, {age} tuổi{(age < rule.Age ? ", hộ nghèo/cận nghèo" : "")} ({rule.Source.LegalText})");
    }

    private static Outcome Funeral(BenefitRuleSet set)
    {
        if (set.FuneralMultiple is not { } multiple)
            return new BenefitRefused("no-rules-in-force", ParametersSource, "Quy định đang áp dụng không có mức hỗ trợ mai táng (funeral).");
        var standard = set.StandardVnd;
        return new BenefitAmount(Dong(multiple * standard), false, multiple, standard,
            $"Hỗ trợ mai táng {multiple.ToString("0.##", CultureInfo.InvariantCulture).Replace('.', ',')} lần mức chuẩn {Vnd(standard)} " +
            $"({set.FuneralSource!.LegalText}; mức chuẩn theo {set.StandardSource.LegalText})");
    }

    private static Outcome Housing(BenefitRuleSet set, BenefitClaim claim)
    {
        var source = set.HousingSource?.LegalText ?? "Nghị định 20/2021/NĐ-CP Điều 15";
        if (claim.DamageType is not { } damage || !set.HousingMinimaVnd.TryGetValue(damage, out var minimum))
            return new BenefitRefused("unknown-damage-type", source,
                $"Tình trạng nhà ở '{claim.DamageType}' không có mức hỗ trợ trong quy định đang áp dụng ({string.Join(", ", set.HousingMinimaVnd.Keys)}).");
        return new BenefitAmount(minimum, false, null, null, $"Hỗ trợ nhà ở, mức tối thiểu cho '{damage}': {Vnd(minimum)} ({source})");
    }

    /// <summary>An amount or the refusal that stops it.</summary>
    private readonly record struct Outcome(BenefitAmount? Amount, BenefitRefused? Refused)
    {
        public static implicit operator Outcome(BenefitAmount amount) => new(amount, null);
        public static implicit operator Outcome(BenefitRefused refused) => new(null, refused);
    }

    private static string Limits(GroupRule group) => (group.MinAge, group.MaxAge) switch
    {
        (null, null) => "các khoảng tuổi " + string.Join(", ", group.Bands.Select(b =>
            $"{b.FromAge?.ToString(CultureInfo.InvariantCulture) ?? "0"}–{b.ToAge?.ToString(CultureInfo.InvariantCulture) ?? "…"}")),
        ({ } min, null) => $"từ đủ {min} tuổi",
        (null, { } max) => $"dưới {max} tuổi",
        ({ } min, { } max) => $"từ đủ {min} đến dưới {max} tuổi",
    };

    /// <summary>Whole đồng: a product of a coefficient and a level is rounded half away from zero (rounding rule unconfirmed).</summary>
    private static decimal Dong(decimal vnd) => Math.Round(vnd, 0, MidpointRounding.AwayFromZero);

    private static DateOnly FirstOf(DateOnly day) => new(day.Year, day.Month, 1);

    private static string Month(DateOnly month) => month.ToString("MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>Vietnamese grouping: 1.250.000 đồng.</summary>
    private static string Vnd(decimal vnd) => vnd.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.') + " đồng";

    /// <summary>Vietnamese decimal comma: 2,5.</summary>
    private static string Coefficient(decimal c) => c.ToString("0.0##", CultureInfo.InvariantCulture).Replace('.', ',');
}
