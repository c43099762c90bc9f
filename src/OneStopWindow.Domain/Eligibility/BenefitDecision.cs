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

public static class BenefitDecider
{
    /// <summary>The decision the rules allow for <paramref name="claim"/> on <paramref name="decisionDate"/>; null for procedures without a benefit.</summary>
    public static BenefitDecision? Decide(BenefitRules rules, BenefitClaim claim, DateOnly decisionDate) => throw new NotImplementedException();
}
