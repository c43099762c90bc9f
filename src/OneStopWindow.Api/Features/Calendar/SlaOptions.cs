using System.ComponentModel.DataAnnotations;

namespace OneStopWindow.Api.Features.Calendar;

/// <summary>
/// The deadline clock's settings (section <c>Sla</c>): the watch's schedule and batch, and the at-risk window that the watch,
/// the queues, the dossier view and the priority order share. Here, beside the working calendar, because every one of those
/// reads it.
/// </summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";

    [Required]
    public string Cron { get; set; } = "*/5 * * * *";

    /// <summary>
    /// The officer is warned (at risk) once the appointment date is within this many working days: early enough to finish,
    /// or to send the delay notice (Form 04), due no later than one working day before the appointment. The province's
    /// choice, not a decree's. Also the window of the queues' atRisk filter, the dossier view's atRisk and the priority order.
    /// </summary>
    [Range(1, 20)]
    public int AtRiskWorkingDays { get; set; } = 3;

    [Range(1, 100_000)]
    public int Batch { get; set; } = 500;
}
