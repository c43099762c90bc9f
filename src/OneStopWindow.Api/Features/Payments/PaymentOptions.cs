using System.ComponentModel.DataAnnotations;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>
/// The monthly payment lists' settings (section <c>Payments</c>). Decree 176/2025 has the commune send next month's list
/// and funds to its payment organisation before the 25th; the province generates the drafts from <see cref="ListDay"/>
/// on, so the ward chair has days to check and approve.
/// </summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>From this day of the month (Vietnam time) the job drafts next month's list of every ward; until its approval it redrafts it on every run.</summary>
    [Range(1, 28)]
    public int ListDay { get; set; } = 20;

    /// <summary>When the job runs (cron, server time; default daily at 02:30): before <see cref="ListDay"/> it does nothing.</summary>
    [Required]
    public string Cron { get; set; } = "30 2 * * *";
}
