namespace OneStopWindow.Domain.Eligibility;

/// <summary>
/// A benefit decided for a dossier: monthly (allowance, pension) or one-off (funeral, emergency), with the coefficient
/// and standard level it was computed from (<see cref="BenefitDecider"/>, over the dated <see cref="BenefitRules"/>).
/// </summary>
public sealed record BenefitAmount(decimal Vnd, bool Monthly, decimal? Coefficient, decimal? StandardLevelVnd, string Basis);
