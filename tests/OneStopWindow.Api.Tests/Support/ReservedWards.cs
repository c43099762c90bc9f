namespace OneStopWindow.Api.Tests.Support;

/// <summary>
/// Wards that tests counting a whole ward's payment list keep to themselves. The suite shares one database, and the
/// 100,000-row import would otherwise place entitlements in every ward: imports leave out every former commune whose
/// successor is one of these (<see cref="Features.Beneficiaries.ImportTests.CommunesAsync"/>), and tests that choose
/// wards at run time skip them.
/// </summary>
public static class ReservedWards
{
    /// <summary>One per reconciliation test (<c>ReconciliationTests</c>).</summary>
    public static readonly string[] Reconciliation = ["09040", "09043", "09052", "09076", "09079"];

    /// <summary>The payment report's urban ward and mountainous commune (both with a population, for the per-1,000 figure).</summary>
    public const string ReportUrban = "08746";
    public const string ReportMountainous = "08923";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([.. Reconciliation, ReportUrban, ReportMountainous], StringComparer.Ordinal);
}
