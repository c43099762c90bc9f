using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <param name="Reason">`death`, `no-longer-eligible` or `other` (a stop requested by the person is a BTXH-01 dossier with request type `stop`).</param>
/// <param name="LastMonth">The last month paid ("yyyy-MM"), from the start month to this month; omitted: this month.</param>
/// <param name="Note">The decision or report it rests on (staff-only, required, at most 1000 characters).</param>
public sealed record EndEntitlementRequest(string? Reason, string? LastMonth, string? Note);

/// <summary>The ward's chair ends an entitlement: paid up to and including its last month, nothing from the next.</summary>
public sealed record EndEntitlement(Guid Id, Caller Caller, string? IfMatch, EndEntitlementRequest Body)
    : ICommand<EntitlementResponse>, IEntitlementCommand, IValidatable
{
    public static readonly IReadOnlyList<string> Reasons = ["death", "no-longer-eligible", "other"];

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Reason is null || !Reasons.Contains(Body.Reason)) yield return new("reason", $"Lý do thôi hưởng là một trong: {string.Join(", ", Reasons)}.");
        if (Body.LastMonth is not null && Domain.Entitlements.Months.Parse(Body.LastMonth) is null) yield return new("lastMonth", "Tháng cuối cùng được chi trả theo dạng yyyy-MM.");
        if (string.IsNullOrWhiteSpace(Body.Note)) yield return new("note", "Ghi rõ quyết định hoặc thông tin làm căn cứ thôi hưởng.");
        else if (Body.Note.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

public sealed class EndEntitlementHandler(EntitlementActionRunner runner) : ICommandHandler<EndEntitlement, EntitlementResponse>
{
    public async ValueTask<EntitlementResponse> Handle(EndEntitlement cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, EntitlementAction.End, c =>
        {
            var last = Domain.Entitlements.Months.Parse(cmd.Body.LastMonth) ?? c.ThisMonth;
            if (last < Domain.Entitlements.Months.Parse(c.Row.StartMonth) || last > c.ThisMonth)
                throw ProblemException.Validation([new("lastMonth", $"Tháng cuối cùng phải từ tháng bắt đầu hưởng ({c.Row.StartMonth}) đến tháng hiện tại.")]);
            var month = Domain.Entitlements.Months.Format(last);
            return new EntitlementChange(Month: month, Reason: cmd.Body.Reason, Owed: false, Note: cmd.Body.Note)
            {
                UpdateSql = EntitlementRegister.Sql.SetEnd,
            };
        }, ct);
}
