using System.Text.Json;

namespace OneStopWindow.Domain.Eligibility;

/// <summary>Where a rule value comes from, and whether it is confirmed against the legal text (unconfirmed: verify before go-live).</summary>
public sealed record RuleSource(string LegalText, bool Confirmed);

/// <summary>A coefficient for beneficiaries aged <see cref="FromAge"/> (inclusive) to <see cref="ToAge"/> (exclusive) in whole years.</summary>
public sealed record AgeBand(int? FromAge, int? ToAge, decimal Coefficient);

/// <summary>
/// One Decree 20/2021 Art. 5 group: who may be in it (age limits of the beneficiary, in whole years, on the month
/// considered) and its coefficient by age band; <see cref="PerChild"/>: the coefficient is paid per child raised (group 4).
/// </summary>
public sealed record GroupRule(string Code, int? MinAge, int? MaxAge, IReadOnlyList<AgeBand> Bands, bool PerChild, RuleSource Source);

/// <summary>
/// The social pension (Law on Social Insurance 2024 Art. 21, Decree 176/2025): from <see cref="Age"/>, or from
/// <see cref="PoorHouseholdAge"/> in a poor or near-poor household; none for someone whose pension or monthly social
/// insurance is at least the amount; <see cref="ProvincialTopUpVnd"/> added from the provincial budget.
/// </summary>
public sealed record PensionRule(int Age, int PoorHouseholdAge, decimal AmountVnd, decimal ProvincialTopUpVnd, RuleSource Source);

/// <summary>
/// The benefit rules in force from <see cref="ValidFrom"/> to <see cref="ValidTo"/> (exclusive; null = open): the
/// data behind every amount. Parsed from a procedure's catalogue <c>benefit.parameters</c> (format in
/// <see cref="FromParameters"/>), stored as versions and changed by administrators through the API, never by a release.
/// </summary>
public sealed record BenefitRuleSet(
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    decimal NationalStandardVnd,
    RuleSource NationalStandardSource,
    decimal? ProvincialStandardVnd,
    RuleSource? ProvincialStandardSource,
    IReadOnlyDictionary<string, GroupRule> Groups,
    PensionRule? Pension,
    decimal? FuneralMultiple,
    RuleSource? FuneralSource,
    IReadOnlyDictionary<string, decimal> HousingMinimaVnd,
    RuleSource? HousingSource)
{
    /// <summary>The standard level paid: the provincial one where the People's Council set a higher one.</summary>
    public decimal StandardVnd => Math.Max(NationalStandardVnd, ProvincialStandardVnd ?? 0);

    /// <summary>Parses <c>benefit.parameters</c>; throws <see cref="FormatException"/> naming the bad member.</summary>
    public static BenefitRuleSet FromParameters(JsonElement parameters, DateOnly validFrom, DateOnly? validTo) =>
        throw new NotImplementedException();

    /// <summary>Every unconfirmed value, for the catalogue and the README's "to confirm before go-live".</summary>
    public IReadOnlyList<(string Rule, RuleSource Source)> Unconfirmed() => throw new NotImplementedException();
}

/// <summary>The versions of one procedure's rules; an amount for a month uses the version in force that month.</summary>
public sealed class BenefitRules(IReadOnlyList<BenefitRuleSet> versions)
{
    public IReadOnlyList<BenefitRuleSet> Versions { get; } = versions.OrderBy(v => v.ValidFrom).ToList();

    /// <summary>The version in force on the first day of <paramref name="month"/>; null when none is.</summary>
    public BenefitRuleSet? For(DateOnly month) => throw new NotImplementedException();
}
