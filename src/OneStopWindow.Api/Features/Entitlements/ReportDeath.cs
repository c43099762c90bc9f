using System.Globalization;
using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <param name="DateOfDeath">"yyyy-MM-dd", not after today (Vietnam time).</param>
/// <param name="Note">What the report rests on: the death certificate extract, the village head's report (staff-only, required, at most 1000 characters).</param>
public sealed record ReportDeathRequest(string? DateOfDeath, string? Note);

/// <summary>
/// Ward staff record a reported death: the entitlement ends with the month of death as its last month (nothing is owed
/// after it), and the applicant of the dossier that created the entitlement, if any, is told the family may apply for
/// funeral support (BTXH-03).
/// </summary>
/// <param name="Confirms">Set when the report confirms the registry check's proposal (<see cref="ConfirmEntitlementProposal"/>).</param>
public sealed record ReportDeath(Guid Id, Caller Caller, string? IfMatch, ReportDeathRequest Body, ProposalConfirmation? Confirms = null)
    : ICommand<EntitlementResponse>, IEntitlementCommand, IValidatable
{
    public DateOnly? Date => DateOnly.TryParseExact(Body.DateOfDeath, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public IEnumerable<FieldError> Validate()
    {
        if (Date is null) yield return new("dateOfDeath", "Ngày mất theo dạng yyyy-MM-dd.");
        if (string.IsNullOrWhiteSpace(Body.Note)) yield return new("note", "Ghi rõ căn cứ (trích lục khai tử, báo cáo của trưởng thôn…).");
        else if (Body.Note.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

/// <summary>
/// Tells the family of a deceased beneficiary that they may apply for funeral support (BTXH-03), in the caller's
/// transaction, on the dossier that created the entitlement. Owned here, implemented by the notification slice (the
/// register does not reach into the notification outbox: feature areas form no new cycle).
/// </summary>
public interface IFamilyNotices
{
    /// <returns>False when the dossier does not exist (nothing queued).</returns>
    Task<bool> OfferFuneralSupportAsync(DbWrite tx, Guid dossierId, string lastMonth, DateTimeOffset now);

    /// <summary>The amount changes from <paramref name="month"/> by the rules alone (an age reached, a new level): tells the applicant.</summary>
    Task<bool> AmountChangesAsync(DbWrite tx, Guid dossierId, string month, decimal amountVnd, DateTimeOffset now);

    /// <summary>
    /// The beneficiary's payment method changed: tells the applicant of <paramref name="dossierId"/> the new method (an account
    /// or wallet by its last 4 digits only), the day, and to contact the ward if they did not ask for it.
    /// </summary>
    /// <param name="lastFour">Bank account or e-wallet: the number's last 4 digits; otherwise null.</param>
    /// <param name="byStaff">Changed by staff (else by the signed-in beneficiary).</param>
    Task<bool> PaymentMethodChangedAsync(DbWrite tx, Guid dossierId, string method, string? lastFour, bool byStaff, DateTimeOffset now);

    /// <summary>After the commit: wakes this process's worker to send what was queued.</summary>
    void Queued();
}

public sealed class ReportDeathHandler(EntitlementActionRunner runner, IFamilyNotices family) : ICommandHandler<ReportDeath, EntitlementResponse>
{
    public async ValueTask<EntitlementResponse> Handle(ReportDeath cmd, CancellationToken ct)
    {
        var date = cmd.Date!.Value;
        var last = "";
        var notified = false;
        var result = await runner.RunAsync(cmd, EntitlementAction.ReportDeath, c =>
        {
            if (date > Appointment.DateInVietnam(c.Now))
                throw ProblemException.Validation([new("dateOfDeath", "Ngày mất không thể sau ngày hôm nay.")]);
            // The month of death is the last month; a death before the first month leaves nothing owed at all.
            var start = Months.Parse(c.Row.StartMonth)!.Value;
            var end = Months.First(date) < start ? start.AddMonths(-1) : Months.First(date);
            last = Months.Format(end);
            var note = $"Báo tử: mất ngày {date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}. {cmd.Body.Note!.Trim()}";
            return new EntitlementChange(Month: last, Reason: "death", Owed: false, Note: note.Length > 1000 ? note[..1000] : note)
            {
                UpdateSql = EntitlementRegister.Sql.SetEnd,
            };
        }, ct, async c =>
        {
            // The family is offered the funeral-support procedure on the dossier that created the entitlement (an imported
            // record has none: its ward tells the family in person).
            if (c.Row.DossierId is { } dossierId) notified = await family.OfferFuneralSupportAsync(c.Tx, dossierId, last, c.Now);
        });
        if (notified) family.Queued();
        return result;
    }
}
