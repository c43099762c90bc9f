using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;
using static OneStopWindow.Domain.Tests.Eligibility.SeedRules;

namespace OneStopWindow.Domain.Tests.Entitlements;

/// <summary>The amount of a month comes from the rules in force that month (Decree 20/2021 Art. 6; Decree 176/2025), never from a stored amount.</summary>
public sealed class EntitlementAmountTests
{
    private static BenefitClaim Claim(string procedure, DateOnly born, params string[] groups) =>
        new(procedure, RequestType.Start, born, groups, 1, null, 0, null, null, null, null);

    private static Entitlement Running(string benefit, DateOnly start, BenefitClaim claim, DateOnly? end = null) =>
        new(benefit, start, end, EntitlementStatus.Active, [new EntitlementBasis(start, AmountSource.Rules, null, claim)]);

    private static BenefitRules WithLaterStandard(string procedure, DateOnly from, int vnd)
    {
        var later = Parameters(procedure);
        later["standardLevel"]!["vnd"] = vnd;
        return new([Set(Parameters(procedure), SeedValidFrom), Set(later, from)]);
    }

    [Fact]
    public void A_rule_version_from_a_later_month_changes_the_amount_from_that_month_only_Decree_20_Art_6()
    {
        var e = Running("BTXH-01", D("2026-11-01"), Claim("BTXH-01", D("1944-01-20"), "elderly-poor-no-supporter"));   // 82: coefficient 2.0
        var rules = WithLaterStandard("BTXH-01", D("2027-03-01"), 600_000);
        Assert.Equal(1_000_000m, EntitlementAmount.AmountFor(e, D("2027-02-01"), rules)!.Vnd);   // 2.0 × 500,000
        Assert.Equal(1_200_000m, EntitlementAmount.AmountFor(e, D("2027-03-01"), rules)!.Vnd);   // 2.0 × 600,000, from the version's month
        Assert.Equal(1_200_000m, EntitlementAmount.AmountFor(e, D("2027-03-31"), rules)!.Vnd);
        Assert.Equal(1_000_000m, EntitlementAmount.AmountFor(e, D("2026-11-15"), rules)!.Vnd);   // earlier months keep their amount
    }

    [Fact]
    public void A_child_turning_4_is_paid_the_lower_coefficient_from_the_month_after_the_birthday_Decree_20_Art_6()
    {
        var e = Running("BTXH-01", D("2026-01-01"), Claim("BTXH-01", D("2023-03-15"), "child-without-care"));
        var rules = Rules("BTXH-01");
        Assert.Equal(1_250_000m, EntitlementAmount.AmountFor(e, D("2027-03-01"), rules)!.Vnd);   // 3 on 1 March: 2.5 × 500,000
        Assert.Equal(750_000m, EntitlementAmount.AmountFor(e, D("2027-04-01"), rules)!.Vnd);     // 4 on 1 April: 1.5 × 500,000
    }

    [Fact]
    public void A_month_outside_the_entitlement_has_no_amount_and_a_stop_ends_with_its_last_month()
    {
        var e = Running("BTXH-01", D("2026-11-01"), Claim("BTXH-01", D("1944-01-20"), "elderly-poor-no-supporter"), end: D("2027-01-01"));
        var rules = Rules("BTXH-01");
        Assert.Null(EntitlementAmount.AmountFor(e, D("2026-10-01"), rules));
        Assert.NotNull(EntitlementAmount.AmountFor(e, D("2027-01-01"), rules));
        Assert.Null(EntitlementAmount.AmountFor(e, D("2027-02-01"), rules));
    }

    [Fact]
    public void The_social_pension_is_its_amount_of_the_month_Decree_176_2025()
    {
        var e = Running("BTXH-05", D("2026-11-01"), Claim("BTXH-05", D("1948-02-01")));
        Assert.Equal(500_000m, EntitlementAmount.AmountFor(e, D("2026-12-01"), Rules("BTXH-05"))!.Vnd);
    }

    [Fact]
    public void An_imported_record_is_paid_its_imported_amount_with_the_difference_from_the_rules()
    {
        var claim = Claim("BTXH-01", D("1945-06-01"), "elderly-poor-no-supporter");
        var e = new Entitlement("BTXH-01", D("2024-01-01"), null, EntitlementStatus.Active,
            [new EntitlementBasis(D("2024-01-01"), AmountSource.Imported, 700_000, claim)]);
        var month = EntitlementAmount.AmountFor(e, D("2026-11-01"), Rules("BTXH-01"))!;
        Assert.Equal(AmountSource.Imported, month.Source);
        Assert.Equal(700_000m, month.Vnd);
        Assert.Equal(1_000_000m, month.RulesVnd);                 // 81: 2.0 × 500,000
        Assert.Equal(-300_000m, month.DifferenceFromRulesVnd);
    }

    [Fact]
    public void A_decision_of_the_new_ward_replaces_the_imported_amount_from_its_month()
    {
        var claim = Claim("BTXH-01", D("1945-06-01"), "elderly-poor-no-supporter");
        var e = new Entitlement("BTXH-01", D("2024-01-01"), null, EntitlementStatus.Active,
        [
            new EntitlementBasis(D("2024-01-01"), AmountSource.Imported, 700_000, claim),
            new EntitlementBasis(D("2026-11-01"), AmountSource.Rules, null, claim),
        ]);
        Assert.Equal(700_000m, EntitlementAmount.AmountFor(e, D("2026-10-01"), Rules("BTXH-01"))!.Vnd);
        var november = EntitlementAmount.AmountFor(e, D("2026-11-01"), Rules("BTXH-01"))!;
        Assert.Equal(AmountSource.Rules, november.Source);
        Assert.Equal(1_000_000m, november.Vnd);
    }

    [Fact]
    public void Leaving_the_groups_age_limits_is_not_payable_and_names_the_rule_Decree_20_Art_5()
    {
        var e = Running("BTXH-01", D("2026-01-01"), Claim("BTXH-01", D("2011-05-10"), "child-without-care"));   // 16 on 1 June 2027
        var june = EntitlementAmount.AmountFor(e, D("2027-06-01"), Rules("BTXH-01"))!;
        Assert.Null(june.Vnd);
        Assert.Equal("age-outside-group", june.NotPayableRule);
    }
}
