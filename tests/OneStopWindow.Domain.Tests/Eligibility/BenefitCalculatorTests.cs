using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Domain.Tests.Eligibility;

public sealed class BenefitCalculatorTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static IReadOnlyDictionary<string, string> Group(string g, string? children = null) =>
        children is null ? new Dictionary<string, string> { ["beneficiaryGroup"] = g }
            : new Dictionary<string, string> { ["beneficiaryGroup"] = g, ["numberOfChildrenRaised"] = children };

    [Theory]
    [InlineData("elderly-poor-no-supporter", "1950-03-15", 750_000)]      // 76: 1.5 × 500,000
    [InlineData("elderly-poor-no-supporter", "1940-01-01", 1_000_000)]    // 86: 2.0
    [InlineData("elderly-community-care", "1950-03-15", 1_500_000)]       // 3.0
    [InlineData("disability-extremely-severe", "1990-05-05", 1_000_000)]  // adult: 2.0
    [InlineData("disability-extremely-severe", "2015-05-05", 1_250_000)]  // child: 2.5
    [InlineData("disability-severe", "1960-05-05", 1_000_000)]            // elderly: 2.0
    [InlineData("child-without-care", "2024-01-01", 1_250_000)]           // under 4: 2.5
    public void The_monthly_allowance_is_the_coefficient_times_the_standard_level(string group, string born, decimal expected)
    {
        var amount = BenefitCalculator.Compute("BTXH-01", Group(group), D(born), D("2026-11-29"))!;
        Assert.Equal(expected, amount.Vnd);
        Assert.True(amount.Monthly);
        Assert.Equal(500_000m, amount.StandardLevelVnd);
    }

    [Fact]
    public void A_single_parent_gets_one_coefficient_per_child() =>
        Assert.Equal(1_500_000m, BenefitCalculator.Compute("BTXH-01", Group("single-parent-poor", "3"), D("1990-01-01"), D("2026-11-29"))!.Vnd);

    [Fact]
    public void The_standard_level_in_force_in_the_decision_month_applies()
    {
        Assert.Equal(360_000m, StandardLevel.For(D("2024-06-01")).Vnd);
        Assert.Equal(500_000m, StandardLevel.For(D("2024-07-01")).Vnd);
        Assert.Equal(540_000m, BenefitCalculator.Compute("BTXH-01", Group("elderly-poor-no-supporter"), D("1950-03-15"), D("2024-06-30"))!.Vnd);
    }

    [Fact]
    public void Pension_funeral_and_emergency_amounts_follow_their_rules()
    {
        Assert.Equal(500_000m, BenefitCalculator.Compute("BTXH-05", new Dictionary<string, string>(), D("1948-01-01"), D("2026-11-29"))!.Vnd);
        var funeral = BenefitCalculator.Compute("BTXH-03", new Dictionary<string, string>(), D("1948-01-01"), D("2026-11-29"))!;
        Assert.Equal(10_000_000m, funeral.Vnd);
        Assert.False(funeral.Monthly);
        Assert.Equal(40_000_000m, BenefitCalculator.Compute("BTXH-06", new Dictionary<string, string> { ["damageType"] = "house-collapsed-washed-away-or-burned" }, D("1970-01-01"), D("2026-11-29"))!.Vnd);
    }

    [Fact]
    public void Procedures_without_a_benefit_compute_none() =>
        Assert.Null(BenefitCalculator.Compute("GN-01", new Dictionary<string, string>(), D("1970-01-01"), D("2026-11-29")));

    [Theory]
    [InlineData("1950-11-30", "2026-11-29", 75)]
    [InlineData("1950-11-29", "2026-11-29", 76)]
    public void Age_counts_whole_years(string born, string on, int age) => Assert.Equal(age, BenefitCalculator.AgeOn(D(born), D(on)));
}
