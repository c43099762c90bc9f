using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;
using static OneStopWindow.Domain.Tests.Eligibility.SeedRules;

namespace OneStopWindow.Domain.Tests.Entitlements;

/// <summary>The dry run of a rule change (issue 18 part 6): old and new rules on the same claim, each month compared with itself.</summary>
public sealed class RuleChangeTests
{
    private static BenefitClaim Claim(DateOnly born, string group) => new("BTXH-01", RequestType.Start, born, [group], 1, null, 0, null, null, null, null);

    private static Entitlement Running(BenefitClaim claim, DateOnly? end = null) =>
        new("BTXH-01", D("2026-01-01"), end, EntitlementStatus.Active, [new EntitlementBasis(D("2026-01-01"), AmountSource.Rules, null, claim)]);

    /// <summary>The seed's rules, and the seed's rules plus a version from <paramref name="from"/> changed by <paramref name="change"/> (the seed ends there, as saving does).</summary>
    private static RuleChange Change(DateOnly from, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var later = Parameters("BTXH-01");
        change(later);
        return new(Rules("BTXH-01"), new([Set(Parameters("BTXH-01"), SeedValidFrom, from), Set(later, from)]), from);
    }

    [Fact]
    public void A_higher_standard_level_changes_the_amount_from_its_month_by_coefficient_times_the_difference_Decree_20_Art_6()
    {
        var change = Change(D("2027-03-01"), p => p["standardLevel"]!["vnd"] = 600_000);
        var effect = change.EffectOn(Running(Claim(D("1944-01-20"), "elderly-poor-no-supporter")))!;   // 83: 2.0
        Assert.Equal(D("2027-03-01"), effect.Month);
        Assert.Equal(1_000_000m, effect.BeforeVnd);
        Assert.Equal(1_200_000m, effect.AfterVnd);
        Assert.Equal(200_000m, effect.DifferenceVnd);
        Assert.False(effect.Imported);
    }

    [Fact]
    public void A_child_moving_to_the_next_age_band_later_is_not_the_effect_of_the_change()
    {
        // 3 in January 2027 (2.5), 4 from April 2027 (1.5) under both rule sets: the effect is January's 2.5 × 100,000.
        var change = Change(D("2027-01-01"), p => p["standardLevel"]!["vnd"] = 600_000);
        var effect = change.EffectOn(Running(Claim(D("2023-03-15"), "child-without-care")))!;
        Assert.Equal(D("2027-01-01"), effect.Month);
        Assert.Equal(1_250_000m, effect.BeforeVnd);
        Assert.Equal(1_500_000m, effect.AfterVnd);
    }

    [Fact]
    public void A_coefficient_change_to_a_band_the_person_reaches_later_changes_from_the_month_they_reach_it()
    {
        var change = Change(D("2027-01-01"), p => p["groups"]!["elderly-poor-no-supporter"]!["bands"]![1]!["coefficient"] = 2.2);
        // 78 in January 2027 (1.5 under both); 80 on 1 June 2028: 2.0 × 500,000 before, 2.2 × 500,000 after.
        var effect = change.EffectOn(Running(Claim(D("1948-05-10"), "elderly-poor-no-supporter")))!;
        Assert.Equal(D("2028-06-01"), effect.Month);
        Assert.Equal(1_000_000m, effect.BeforeVnd);
        Assert.Equal(1_100_000m, effect.AfterVnd);

        var other = change.EffectOn(Running(Claim(D("1970-05-10"), "disability-severe")))!;   // another group: unchanged
        Assert.False(other.Changes);
        Assert.Equal(D("2027-01-01"), other.Month);
        Assert.Equal(750_000m, other.BeforeVnd);
    }

    [Fact]
    public void An_imported_amount_is_kept_and_only_the_rules_amount_changes()
    {
        var change = Change(D("2027-03-01"), p => p["standardLevel"]!["vnd"] = 600_000);
        var e = new Entitlement("BTXH-01", D("2024-01-01"), null, EntitlementStatus.Active,
            [new EntitlementBasis(D("2024-01-01"), AmountSource.Imported, 700_000, Claim(D("1944-01-20"), "elderly-poor-no-supporter"))]);
        var effect = change.EffectOn(e)!;
        Assert.True(effect.Imported);
        Assert.Equal(700_000m, effect.Before.Vnd);
        Assert.Equal(700_000m, effect.After.Vnd);
        Assert.Equal(1_000_000m, effect.BeforeVnd);
        Assert.Equal(1_200_000m, effect.AfterVnd);
    }

    [Fact]
    public void An_entitlement_ending_before_the_change_is_not_affected()
    {
        var change = Change(D("2027-03-01"), p => p["standardLevel"]!["vnd"] = 600_000);
        Assert.Null(change.EffectOn(Running(Claim(D("1944-01-20"), "elderly-poor-no-supporter"), end: D("2027-02-01"))));
        Assert.Equal(D("2027-03-01"), change.EffectOn(Running(Claim(D("1944-01-20"), "elderly-poor-no-supporter"), end: D("2027-03-01")))!.Month);
    }
}
