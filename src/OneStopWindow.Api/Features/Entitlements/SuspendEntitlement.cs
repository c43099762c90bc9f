using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <param name="Reason">`reverification` (months owed), `death-reported` (not owed), `moved` (not owed here), `other` (owed).</param>
/// <param name="Note">What was reported or checked (staff-only, at most 1000 characters).</param>
public sealed record SuspendEntitlementRequest(string? Reason, string? Note);

/// <summary>Ward staff hold an entitlement's payment with a reason from the closed list; the reason decides whether the months are owed.</summary>
/// <param name="Confirms">Set when the suspension confirms a proposal (three months unclaimed, <see cref="ConfirmEntitlementProposal"/>).</param>
public sealed record SuspendEntitlement(Guid Id, Caller Caller, string? IfMatch, SuspendEntitlementRequest Body, ProposalConfirmation? Confirms = null)
    : ICommand<EntitlementResponse>, IEntitlementCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (EntitlementRules.Suspension(Body.Reason) is null)
            yield return new("reason", $"Lý do tạm dừng là một trong: {string.Join(", ", EntitlementRules.SuspensionReasons.Select(r => r.Code))}.");
        if (Body.Note?.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

public sealed class SuspendEntitlementHandler(EntitlementActionRunner runner) : ICommandHandler<SuspendEntitlement, EntitlementResponse>
{
    public async ValueTask<EntitlementResponse> Handle(SuspendEntitlement cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, EntitlementAction.Suspend, c =>
        {
            var reason = EntitlementRules.Suspension(cmd.Body.Reason)!;
            return new EntitlementChange(Month: Domain.Entitlements.Months.Format(c.ThisMonth), Reason: reason.Code, Owed: reason.Owed, Note: cmd.Body.Note)
            {
                UpdateSql = Sql.Suspend,
                UpdateArgs = new { Reason = reason.Code },
            };
        }, ct);

    internal static class Sql
    {
        public const string Suspend = """
            UPDATE entitlement SET status = @Status, suspension_reason = @Reason, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
