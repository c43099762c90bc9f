using OneStopWindow.Domain.Eligibility;
using static OneStopWindow.Domain.Tests.Eligibility.SeedRules;

namespace OneStopWindow.Domain.Tests.Eligibility;

/// <summary>
/// BenefitDecider on the seeded rules (valid from 2024-07-01, standard level 500,000 VND). Decisions are signed on
/// 2026-11-29 unless said otherwise, so the month considered is November 2026.
/// </summary>
public sealed class BenefitDeciderTests
{
    private static readonly DateOnly Signed = D("2026-11-29");
    private static readonly DateOnly November = D("2026-11-01");

    /// <summary>Born on 1 June: exactly <paramref name="age"/> on 1 November 2026.</summary>
    private static DateOnly Aged(int age) => new(2026 - age, 6, 1);

    private static BenefitClaim Claim(string procedure, int age, params string[] groups) =>
        new(procedure, RequestType.Start, Aged(age), groups, 0, null, null, null, null, null, null);

    private static BenefitGranted Granted(BenefitDecision? decision) => Assert.IsType<BenefitGranted>(decision);

    private static BenefitRefused Refused(BenefitDecision? decision, string rule)
    {
        var refused = Assert.IsType<BenefitRefused>(decision);
        Assert.Equal(rule, refused.Rule);
        Assert.False(string.IsNullOrWhiteSpace(refused.Source));
        return refused;
    }

    // ---- Monthly social allowance: coefficient × standard level (Nghị định 20/2021/NĐ-CP Điều 5, 6; Nghị định 76/2024/NĐ-CP)

    [Theory]
    [InlineData("child-without-care", 2, 1_250_000)]           // Điều 5 khoản 1, Điều 6: under 4 → 2.5 (unconfirmed)
    [InlineData("child-without-care", 4, 750_000)]             // 4 and over → 1.5 (unconfirmed)
    [InlineData("child-without-care", 15, 750_000)]            // still under 16
    [InlineData("youth-in-study", 16, 750_000)]                // Điều 5 khoản 2: 16–22 in study → 1.5 (unconfirmed)
    [InlineData("youth-in-study", 22, 750_000)]                // 22 is included
    [InlineData("child-hiv-poor", 3, 1_250_000)]               // Điều 5 khoản 3: under 4 → 2.5 (unconfirmed)
    [InlineData("child-hiv-poor", 5, 1_000_000)]               // 4 and over → 2.0 (unconfirmed)
    [InlineData("single-parent-poor", 35, 500_000)]            // Điều 5 khoản 4: 1.0 per child, at least one
    [InlineData("elderly-poor-no-supporter", 60, 750_000)]     // Điều 5 khoản 5: 60 to under 80 → 1.5
    [InlineData("elderly-poor-no-supporter", 79, 750_000)]
    [InlineData("elderly-poor-no-supporter", 80, 1_000_000)]   // 80 and over → 2.0
    [InlineData("elderly-75-80-em-area", 75, 500_000)]         // Điều 5 khoản 5: 75 to under 80 in EM communes → 1.0
    [InlineData("elderly-75-80-em-area", 79, 500_000)]
    [InlineData("elderly-80-no-pension", 85, 500_000)]         // Điều 5 khoản 5: 80+ without pension → 1.0
    [InlineData("elderly-community-care", 70, 1_500_000)]      // Điều 5 khoản 5: cared for in the community → 3.0 (60+ assumed, Luật Người cao tuổi 2009 Điều 2)
    [InlineData("disability-severe", 10, 1_000_000)]           // Điều 5 khoản 6: severe, child under 16 → 2.0
    [InlineData("disability-severe", 16, 750_000)]             // severe, 16 to under 60 → 1.5
    [InlineData("disability-severe", 60, 1_000_000)]           // severe, elderly 60+ → 2.0
    [InlineData("disability-extremely-severe", 15, 1_250_000)] // Điều 5 khoản 6: extremely severe, child → 2.5
    [InlineData("disability-extremely-severe", 30, 1_000_000)] // extremely severe, adult → 2.0
    [InlineData("disability-extremely-severe", 65, 1_250_000)] // extremely severe, elderly → 2.5
    [InlineData("child-under-3-em-area", 2, 750_000)]          // Điều 5 khoản 7: under 3 → 1.5 (unconfirmed)
    [InlineData("hiv-poor", 40, 750_000)]                      // Điều 5 khoản 8: 1.5, no age limit (unconfirmed)
    public void Decree_20_Art_5_and_6_the_monthly_allowance_is_the_groups_coefficient_times_the_standard_level(string group, int age, int expected)
    {
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", age, group), Signed));
        Assert.Equal(expected, granted.Amount.Vnd);
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), granted.Amount.Vnd.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(granted.Amount.Monthly);
        Assert.Equal(500_000m, granted.Amount.StandardLevelVnd);
        Assert.Equal(November, granted.FromMonth);
        Assert.Contains($"'{group}'", granted.Amount.Basis, StringComparison.Ordinal);
        Assert.Contains("Nghị định 20/2021/NĐ-CP Điều 5", granted.Amount.Basis, StringComparison.Ordinal);
        Assert.Contains("Nghị định 76/2024/NĐ-CP", granted.Amount.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Decree_20_Art_5_the_age_is_the_beneficiarys_a_grandmother_filing_for_a_2_year_old_orphan_gets_1250000()
    {
        // The applicant (the grandmother, born 1958) is not in the claim: only the beneficiary's birth date is.
        var orphan = Claim("BTXH-01", 2, "child-without-care") with { BeneficiaryBirthDate = D("2024-06-01") };
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-01"), orphan, Signed));
        Assert.Equal(1_250_000m, granted.Amount.Vnd);
        Assert.Equal(2.5m, granted.Amount.Coefficient);
    }

    [Theory]
    [InlineData("elderly-poor-no-supporter", 45, "từ đủ 60 tuổi")]      // Điều 5 khoản 5: 60+
    [InlineData("child-without-care", 16, "dưới 16 tuổi")]              // Điều 5 khoản 1: under 16
    [InlineData("child-hiv-poor", 16, "dưới 16 tuổi")]                  // Điều 5 khoản 3: under 16
    [InlineData("youth-in-study", 15, "từ đủ 16 đến dưới 23 tuổi")]     // Điều 5 khoản 2: 16–22
    [InlineData("youth-in-study", 23, "từ đủ 16 đến dưới 23 tuổi")]
    [InlineData("elderly-75-80-em-area", 74, "từ đủ 75 đến dưới 80 tuổi")] // Điều 5 khoản 5: 75–80
    [InlineData("elderly-75-80-em-area", 80, "từ đủ 75 đến dưới 80 tuổi")]
    [InlineData("elderly-80-no-pension", 79, "từ đủ 80 tuổi")]           // Điều 5 khoản 5: 80+
    [InlineData("elderly-community-care", 59, "từ đủ 60 tuổi")]         // 60+ assumed (Luật Người cao tuổi 2009 Điều 2)
    [InlineData("child-under-3-em-area", 3, "dưới 3 tuổi")]             // Điều 5 khoản 7: under 3
    public void Decree_20_Art_5_an_age_outside_the_groups_limits_is_refused_naming_the_group_the_age_and_the_limit(string group, int age, string limit)
    {
        var refused = Refused(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", age, group), Signed), "age-outside-group");
        Assert.StartsWith("Nghị định 20/2021/NĐ-CP Điều 5", refused.Source, StringComparison.Ordinal);
        Assert.Contains($"'{group}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"{age} tuổi", refused.Message, StringComparison.Ordinal);
        Assert.Contains(limit, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decree_20_Art_5_clause_5_a_45_year_old_declared_elderly_poor_no_supporter_is_refused()
    {
        var refused = Refused(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 45, "elderly-poor-no-supporter"), Signed), "age-outside-group");
        Assert.Equal("Nghị định 20/2021/NĐ-CP Điều 5 khoản 5, Điều 6", refused.Source);
    }

    [Fact]
    public void Decree_20_Art_5_clause_5_group_5c_is_for_someone_without_a_pension()
    {
        var pensioned = Claim("BTXH-01", 85, "elderly-80-no-pension") with { PensionReceivedVnd = 1_200_000m };
        var refused = Refused(BenefitDecider.Decide(Rules("BTXH-01"), pensioned, Signed), "group-requires-no-pension");
        Assert.Equal("Nghị định 20/2021/NĐ-CP Điều 5 khoản 5, Điều 6", refused.Source);
        Assert.Equal(500_000m, Granted(BenefitDecider.Decide(Rules("BTXH-01"), pensioned with { PensionReceivedVnd = 0 }, Signed)).Amount.Vnd);
    }

    [Fact]
    public void Decree_28_2012_Art_16_2_several_groups_pay_only_the_highest_coefficient()
    {
        // 82: disability-severe (elderly) 2.0, elderly-poor-no-supporter (80+) 2.0; the highest is 2.0, paid once.
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 82, "disability-severe", "elderly-poor-no-supporter"), Signed));
        Assert.Equal(1_000_000m, granted.Amount.Vnd);
        Assert.Equal(2.0m, granted.Amount.Coefficient);
        Assert.Contains("Nghị định 28/2012/NĐ-CP Điều 16 khoản 2", granted.Amount.Basis, StringComparison.Ordinal);

        // 70: elderly-poor-no-supporter 1.5 and elderly-community-care 3.0 → 3.0.
        Assert.Equal(1_500_000m, Granted(BenefitDecider.Decide(Rules("BTXH-01"),
            Claim("BTXH-01", 70, "elderly-poor-no-supporter", "elderly-community-care"), Signed)).Amount.Vnd);
    }

    [Fact]
    public void Decree_20_Art_5_a_declared_group_that_does_not_admit_the_beneficiary_is_passed_over_and_none_admitting_is_refused()
    {
        // 45: disability-severe (1.5) admits, elderly-poor-no-supporter (60+) does not: paid 1.5 × 500,000.
        Assert.Equal(750_000m, Granted(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 45, "elderly-poor-no-supporter", "disability-severe"), Signed)).Amount.Vnd);
        var refused = Refused(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 45, "elderly-poor-no-supporter", "elderly-80-no-pension"), Signed), "age-outside-group");
        Assert.Contains("'elderly-poor-no-supporter'", refused.Message, StringComparison.Ordinal);   // the first group's reason
    }

    [Fact]
    public void A_birth_date_after_the_decision_month_or_an_implausible_last_month_paid_is_refused()
    {
        Refused(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 2, "child-without-care") with { BeneficiaryBirthDate = Signed.AddYears(1) }, Signed),
            "birth-date-after-month");
        var moved = Claim("BTXH-02", 76, "disability-severe");
        Refused(BenefitDecider.Decide(Rules("BTXH-02"), moved with { LastMonthPaidElsewhere = new DateOnly(Signed.Year, Signed.Month, 1) }, Signed), "last-month-paid-implausible");
        Refused(BenefitDecider.Decide(Rules("BTXH-02"), moved with { LastMonthPaidElsewhere = new DateOnly(1, 1, 1) }, Signed), "last-month-paid-implausible");
    }

    [Fact]
    public void Decree_20_Art_5_a_group_not_in_the_rules_or_no_group_at_all_is_refused()
    {
        var unknown = Refused(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 70, "veteran"), Signed), "unknown-group");
        Assert.Equal("Nghị định 20/2021/NĐ-CP Điều 5", unknown.Source);
        Assert.Contains("'veteran'", unknown.Message, StringComparison.Ordinal);
        Refused(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 70), Signed), "no-group");
    }

    [Theory]
    [InlineData(3, 1_500_000)]   // Điều 5 khoản 4, Điều 6: 1.0 × 500,000 per child raised
    [InlineData(1, 500_000)]
    [InlineData(0, 500_000)]     // at least one child: the form's business
    public void Decree_20_Art_5_clause_4_a_single_parent_gets_the_coefficient_per_child_raised(int children, int expected)
    {
        var claim = Claim("BTXH-01", 35, "single-parent-poor") with { ChildrenRaised = children };
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-01"), claim, Signed));
        Assert.Equal(expected, granted.Amount.Vnd);
        Assert.Equal(Math.Max(1, children), granted.Amount.Coefficient);
    }

    [Fact]
    public void Decree_20_a_provincial_standard_level_higher_than_the_national_one_is_paid()
    {
        var rules = Rules("BTXH-01", p => p["provincialStandardLevel"] = Level(600_000, "Nghị quyết HĐND tỉnh Phú Thọ (giả định)"));
        var granted = Granted(BenefitDecider.Decide(rules, Claim("BTXH-01", 76, "elderly-poor-no-supporter"), Signed));
        Assert.Equal(900_000m, granted.Amount.Vnd);   // 1.5 × 600,000
        Assert.Equal(600_000m, granted.Amount.StandardLevelVnd);
        Assert.Contains("Nghị quyết HĐND tỉnh Phú Thọ", granted.Amount.Basis, StringComparison.Ordinal);

        var lower = Rules("BTXH-01", p => p["provincialStandardLevel"] = Level(450_000, "Nghị quyết HĐND tỉnh"));
        Assert.Equal(750_000m, Granted(BenefitDecider.Decide(lower, Claim("BTXH-01", 76, "elderly-poor-no-supporter"), Signed)).Amount.Vnd);
    }

    [Fact]
    public void An_amount_for_a_month_uses_the_rule_version_in_force_that_month()
    {
        var seed = Parameters("BTXH-01");
        var from2027 = Parameters("BTXH-01");
        from2027["standardLevel"] = Level(600_000, "Nghị định mới (giả định)");
        var rules = new BenefitRules([Set(from2027, D("2027-01-01")), Set(seed, SeedValidFrom, D("2027-01-01"))]);
        var claim = Claim("BTXH-01", 2, "child-without-care");

        Assert.Equal(1_250_000m, Granted(BenefitDecider.Decide(rules, claim, D("2026-12-31"))).Amount.Vnd);
        var january = Granted(BenefitDecider.Decide(rules, claim, D("2027-01-02")));
        Assert.Equal(1_500_000m, january.Amount.Vnd);
        Assert.Equal(D("2027-01-01"), january.FromMonth);
    }

    [Fact]
    public void A_month_without_rules_in_force_is_refused()
    {
        var refused = Refused(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 70, "elderly-poor-no-supporter"), D("2024-06-30")), "no-rules-in-force");
        Assert.Contains("06/2024", refused.Message, StringComparison.Ordinal);
    }

    // ---- Request types (DOMAIN §10.3; Nghị định 147/2025/NĐ-CP)

    [Fact]
    public void Decree_147_2025_start_and_adjust_pay_from_the_decision_month()
    {
        var start = Granted(BenefitDecider.Decide(Rules("BTXH-01"), Claim("BTXH-01", 10, "disability-severe"), Signed));
        Assert.Equal(November, start.FromMonth);

        var adjust = Claim("BTXH-01", 10, "disability-extremely-severe") with { Request = RequestType.Adjust };
        var adjusted = Granted(BenefitDecider.Decide(Rules("BTXH-01"), adjust, Signed));
        Assert.Equal(November, adjusted.FromMonth);
        Assert.Equal(1_250_000m, adjusted.Amount.Vnd);
    }

    [Fact]
    public void A_stop_ends_with_the_decision_month_and_grants_nothing()
    {
        var stop = Claim("BTXH-01", 10, "disability-severe") with { Request = RequestType.Stop };
        var stopped = Assert.IsType<BenefitStopped>(BenefitDecider.Decide(Rules("BTXH-01"), stop, Signed));
        Assert.Equal(November, stopped.LastMonth);
        Assert.Contains("12/2026", stopped.Basis, StringComparison.Ordinal);

        // A stop needs no rules in force, nor an eligible age.
        Assert.Equal(November, Assert.IsType<BenefitStopped>(BenefitDecider.Decide(new BenefitRules([]), stop with { Groups = ["veteran"] }, Signed)).LastMonth);
    }

    [Fact]
    public void Decree_147_2025_a_change_of_residence_pays_from_the_month_after_the_last_month_paid_elsewhere()
    {
        // Decided in December, the old ward paid up to October: November is arrears, no month lost or paid twice.
        var moved = Claim("BTXH-02", 76, "elderly-poor-no-supporter") with { LastMonthPaidElsewhere = D("2026-10-01") };
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-02"), moved, D("2026-12-10")));
        Assert.Equal(D("2026-11-01"), granted.FromMonth);
        Assert.Equal(750_000m, granted.Amount.Vnd);

        // BTXH-02 is a change of residence whatever the request says; a day inside the month counts as that month.
        var asStop = moved with { Request = RequestType.Stop, LastMonthPaidElsewhere = D("2026-10-25") };
        Assert.Equal(D("2026-11-01"), Granted(BenefitDecider.Decide(Rules("BTXH-02"), asStop, D("2026-12-10"))).FromMonth);
    }

    [Fact]
    public void Decree_147_2025_a_change_of_residence_without_the_last_month_paid_is_refused() =>
        Refused(BenefitDecider.Decide(Rules("BTXH-02"), Claim("BTXH-02", 76, "elderly-poor-no-supporter"), Signed), "last-month-paid-required");

    // ---- Higher of the two (Luật Bảo hiểm xã hội 2024 Điều 21; Nghị định 176/2025/NĐ-CP)

    [Theory]
    [InlineData(750_000)]
    [InlineData(800_000)]
    public void Social_insurance_law_2024_Art_21_an_allowance_not_above_the_pension_received_is_refused(int otherVnd)
    {
        var claim = Claim("BTXH-01", 76, "elderly-poor-no-supporter") with { OtherMonthlyBenefitVnd = otherVnd, OtherBenefitCode = "BTXH-05" };
        var refused = Refused(BenefitDecider.Decide(Rules("BTXH-01"), claim, Signed), "already-on-higher-benefit");
        Assert.Equal(BenefitDecider.PensionOrAllowanceSource, refused.Source);
    }

    [Fact]
    public void Social_insurance_law_2024_Art_21_an_allowance_above_the_other_benefit_is_granted_in_its_place()
    {
        var claim = Claim("BTXH-01", 82, "elderly-poor-no-supporter") with { OtherMonthlyBenefitVnd = 500_000, OtherBenefitCode = "BTXH-05" };
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-01"), claim, Signed));
        Assert.Equal(1_000_000m, granted.Amount.Vnd);
        Assert.Contains("Luật Bảo hiểm xã hội 2024 Điều 21", granted.Amount.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Decree_28_2012_Art_16_2_a_second_allowance_not_above_the_one_received_is_refused()
    {
        var claim = Claim("BTXH-01", 30, "hiv-poor") with { OtherMonthlyBenefitVnd = 1_000_000, OtherBenefitCode = "BTXH-01" };
        Assert.Equal(BenefitDecider.HighestCoefficientSource,
            Refused(BenefitDecider.Decide(Rules("BTXH-01"), claim, Signed), "already-on-higher-benefit").Source);
    }

    // ---- Social pension, BTXH-05 (Luật Bảo hiểm xã hội 2024 Điều 21; Nghị định 176/2025/NĐ-CP Điều 2, 3)

    [Theory]
    [InlineData(76, null)]          // 75 or over
    [InlineData(75, null)]
    [InlineData(72, "poor")]        // 70 to under 75 in a poor household
    [InlineData(70, "near-poor")]   // … or a near-poor one
    public void Social_insurance_law_2024_Art_21_the_social_pension_is_500000_from_75_or_from_70_in_a_poor_household(int age, string? poverty)
    {
        var claim = Claim("BTXH-05", age) with { HouseholdPoverty = poverty };
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-05"), claim, Signed));
        Assert.Equal(500_000m, granted.Amount.Vnd);
        Assert.True(granted.Amount.Monthly);
        Assert.Equal(November, granted.FromMonth);
        Assert.Contains("Nghị định 176/2025/NĐ-CP", granted.Amount.Basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(72, null)]
    [InlineData(74, "not-poor")]
    [InlineData(69, "poor")]
    public void Social_insurance_law_2024_Art_21_younger_or_not_poor_is_refused_pension_age(int age, string? poverty)
    {
        var refused = Refused(BenefitDecider.Decide(Rules("BTXH-05"), Claim("BTXH-05", age) with { HouseholdPoverty = poverty }, Signed), "pension-age");
        Assert.Equal("Luật Bảo hiểm xã hội 2024 Điều 21; Nghị định 176/2025/NĐ-CP Điều 2, 3", refused.Source);
    }

    [Fact]
    public void Social_insurance_law_2024_Art_21_the_age_is_counted_on_the_first_day_of_the_decision_month()
    {
        var claim = Claim("BTXH-05", 0) with { BeneficiaryBirthDate = D("1951-11-15") };
        Refused(BenefitDecider.Decide(Rules("BTXH-05"), claim, D("2026-11-29")), "pension-age");   // 74 on 1 November
        Granted(BenefitDecider.Decide(Rules("BTXH-05"), claim, D("2026-12-01")));                 // 75 on 1 December
    }

    [Theory]
    [InlineData(600_000)]
    [InlineData(500_000)]   // not below
    public void Decree_176_2025_a_pension_received_not_below_the_social_pension_is_refused(int received) =>
        Refused(BenefitDecider.Decide(Rules("BTXH-05"), Claim("BTXH-05", 80) with { PensionReceivedVnd = received }, Signed), "pension-too-high");

    [Fact]
    public void Decree_176_2025_a_pension_received_below_the_social_pension_still_grants_it() =>
        Assert.Equal(500_000m, Granted(BenefitDecider.Decide(Rules("BTXH-05"), Claim("BTXH-05", 80) with { PensionReceivedVnd = 400_000 }, Signed)).Amount.Vnd);

    [Fact]
    public void Decree_176_2025_the_provincial_top_up_is_added()
    {
        var rules = Rules("BTXH-05", p => p["pension"]!["provincialTopUpVnd"] = 100_000);
        var granted = Granted(BenefitDecider.Decide(rules, Claim("BTXH-05", 80), Signed));
        Assert.Equal(600_000m, granted.Amount.Vnd);
        Assert.Contains("100.000 đồng", granted.Amount.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Social_insurance_law_2024_Art_21_a_social_pension_not_above_the_allowance_received_is_refused()
    {
        var claim = Claim("BTXH-05", 80) with { OtherMonthlyBenefitVnd = 1_000_000, OtherBenefitCode = "BTXH-01" };
        Assert.Equal(BenefitDecider.PensionOrAllowanceSource,
            Refused(BenefitDecider.Decide(Rules("BTXH-05"), claim, Signed), "already-on-higher-benefit").Source);
        Granted(BenefitDecider.Decide(Rules("BTXH-05"), claim with { OtherMonthlyBenefitVnd = 400_000 }, Signed));
    }

    [Fact]
    public void A_social_pension_stop_ends_with_the_decision_month() =>
        Assert.Equal(November, Assert.IsType<BenefitStopped>(
            BenefitDecider.Decide(Rules("BTXH-05"), Claim("BTXH-05", 80) with { Request = RequestType.Stop }, Signed)).LastMonth);

    // ---- One-off support

    [Fact]
    public void Decree_20_Art_11_funeral_support_is_20_times_the_standard_level_once()
    {
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-03"), Claim("BTXH-03", 81), Signed));
        Assert.Equal(10_000_000m, granted.Amount.Vnd);
        Assert.False(granted.Amount.Monthly);
        Assert.Equal(20m, granted.Amount.Coefficient);
        Assert.Equal(November, granted.FromMonth);
        Assert.Contains("Nghị định 20/2021/NĐ-CP Điều 11", granted.Amount.Basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("house-collapsed-washed-away-or-burned", 40_000_000)]   // Nghị định 20/2021/NĐ-CP Điều 15
    [InlineData("urgent-relocation", 30_000_000)]
    [InlineData("severely-damaged", 20_000_000)]
    public void Decree_20_Art_15_housing_support_is_the_minimum_for_the_damage(string damage, int expected)
    {
        var granted = Granted(BenefitDecider.Decide(Rules("BTXH-06"), Claim("BTXH-06", 50) with { DamageType = damage }, Signed));
        Assert.Equal(expected, granted.Amount.Vnd);
        Assert.False(granted.Amount.Monthly);
    }

    [Theory]
    [InlineData("roof-leaking")]
    [InlineData(null)]
    public void Decree_20_Art_15_an_unknown_damage_type_is_refused(string? damage) =>
        Assert.Equal("Nghị định 20/2021/NĐ-CP Điều 15",
            Refused(BenefitDecider.Decide(Rules("BTXH-06"), Claim("BTXH-06", 50) with { DamageType = damage }, Signed), "unknown-damage-type").Source);

    [Theory]
    [InlineData("GN-01")]
    [InlineData("BTXH-04")]
    public void Procedures_without_a_benefit_decide_none(string procedure) =>
        Assert.Null(BenefitDecider.Decide(Rules("BTXH-01"), Claim(procedure, 40), Signed));

    private static System.Text.Json.Nodes.JsonObject Level(int vnd, string legalText) =>
        new() { ["vnd"] = vnd, ["legalText"] = legalText, ["confirmed"] = false };
}
