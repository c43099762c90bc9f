using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <param name="NewResidence">Where the beneficiary now lives, as reported (staff-only, required, at most 300 characters).</param>
/// <param name="Note">Who reported it and how (staff-only, at most 1000 characters).</param>
public sealed record ReportMoveRequest(string? NewResidence, string? Note);

/// <summary>
/// Ward staff record that the beneficiary has moved away: the entitlement is suspended with reason <c>moved</c> (not owed
/// here) pending the new ward's decision — the change of residence (BTXH-02) then ends it with the last month this ward
/// paid and the new ward pays from the month after (Decree 147/2025 step 4).
/// </summary>
/// <param name="Confirms">Set when the report confirms the registry check's proposal (<see cref="ConfirmEntitlementProposal"/>).</param>
public sealed record ReportMove(Guid Id, Caller Caller, string? IfMatch, ReportMoveRequest Body, ProposalConfirmation? Confirms = null)
    : ICommand<EntitlementResponse>, IEntitlementCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.NewResidence)) yield return new("newResidence", "Ghi nơi cư trú mới theo thông tin được báo.");
        else if (Body.NewResidence.Length > 300) yield return new("newResidence", "Nơi cư trú mới tối đa 300 ký tự.");
        if (Body.Note?.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

public sealed class ReportMoveHandler(EntitlementActionRunner runner) : ICommandHandler<ReportMove, EntitlementResponse>
{
    public async ValueTask<EntitlementResponse> Handle(ReportMove cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, EntitlementAction.Suspend, c =>
        {
            var reason = EntitlementRules.Suspension("moved")!;
            var note = $"Báo chuyển nơi cư trú: {cmd.Body.NewResidence!.Trim()}. Chờ quyết định của xã/phường nơi cư trú mới (thủ tục BTXH-02)."
                       + (string.IsNullOrWhiteSpace(cmd.Body.Note) ? "" : " " + cmd.Body.Note.Trim());
            return new EntitlementChange(Month: Domain.Entitlements.Months.Format(c.ThisMonth), Reason: reason.Code, Owed: reason.Owed,
                Note: note.Length > 1000 ? note[..1000] : note)
            {
                UpdateSql = SuspendEntitlementHandler.Sql.Suspend,
                UpdateArgs = new { Reason = reason.Code },
            };
        }, ct);
}
