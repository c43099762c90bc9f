using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <param name="Note">How the hold was resolved (staff-only, at most 1000 characters).</param>
public sealed record ResumeEntitlementRequest(string? Note);

/// <summary>Ward staff lift a hold; months held for an owed reason are paid as arrears (the history records whether they are owed).</summary>
public sealed record ResumeEntitlement(Guid Id, Caller Caller, string? IfMatch, ResumeEntitlementRequest Body)
    : ICommand<EntitlementResponse>, IEntitlementCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.Note)) yield return new("note", "Ghi rõ kết quả xác minh hoặc lý do tiếp tục chi trả.");
        else if (Body.Note.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

public sealed class ResumeEntitlementHandler(EntitlementActionRunner runner) : ICommandHandler<ResumeEntitlement, EntitlementResponse>
{
    public async ValueTask<EntitlementResponse> Handle(ResumeEntitlement cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, EntitlementAction.Resume, c => new EntitlementChange(
            Month: Domain.Entitlements.Months.Format(c.ThisMonth),
            Reason: c.Row.SuspensionReason,
            Owed: EntitlementRules.Suspension(c.Row.SuspensionReason)?.Owed,
            Note: cmd.Body.Note)
        {
            UpdateSql = Sql.Resume,
        }, ct);

    internal static class Sql
    {
        public const string Resume = """
            UPDATE entitlement SET status = @Status, suspension_reason = NULL, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
