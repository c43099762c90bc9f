using System.ComponentModel.DataAnnotations;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>
/// The benefit register's settings (section <c>Register</c>): how long a beneficiary's re-verification may stay open
/// before their payment is held (issue 18: "re-verification left open longer than a setting (default 3 months)
/// suspends" — the province's choice, not a decree's), the schedule and batch of the step that applies it, and of the
/// periodic check against the population registry.
/// </summary>
public sealed class RegisterOptions
{
    public const string Section = "Register";

    /// <summary>Whole months a re-verification of an imported beneficiary may stay open before the system suspends their entitlement (owed).</summary>
    [Range(1, 24)]
    public int ReverificationSuspendAfterMonths { get; set; } = 3;

    /// <summary>When the step runs (cron, server time).</summary>
    [Required]
    public string Cron { get; set; } = "30 1 * * *";

    /// <summary>When next month's automatic changes from the rules (ages 4, 16, 80; a new standard level) are announced (cron, server time).</summary>
    [Required]
    public string AmountChangeCron { get; set; } = "0 2 20 * *";

    [Range(1, 100_000)]
    public int Batch { get; set; } = 500;

    /// <summary>
    /// When the Active entitlements are checked against the population registry (cron, server time; default the 5th at
    /// 03:00, ahead of the month's payment lists); the check proposes death and move reports for staff to confirm.
    /// </summary>
    [Required]
    public string RegistryCheckCron { get; set; } = "0 3 5 * *";

    /// <summary>Identity numbers sent to the registry per request (the contract allows 500 at most); one page of the register per request.</summary>
    [Range(1, 500)]
    public int RegistryCheckBatch { get; set; } = 500;
}
