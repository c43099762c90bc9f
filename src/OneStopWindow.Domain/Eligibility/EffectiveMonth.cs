using System.Globalization;

namespace OneStopWindow.Domain.Eligibility;

/// <summary>When a granted monthly benefit starts.</summary>
public static class EffectiveMonth
{
    /// <summary>Decree 147/2025: the monthly benefit runs from the month in which the chair signs the decision ("yyyy-MM").</summary>
    public static string Of(DateOnly signedOn) => signedOn.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
