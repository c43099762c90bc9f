using System.Globalization;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Entitlements;
using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>What every staff action on an entitlement carries.</summary>
public interface IEntitlementCommand
{
    Guid Id { get; }
    Caller Caller { get; }
    string? IfMatch { get; }

    /// <summary>The registry proposal this action confirms (a death or move report confirming the periodic check's finding), if any.</summary>
    ProposalConfirmation? Confirms => null;
}

/// <summary>The entitlement as the action sees it, inside the action's transaction.</summary>
public sealed record EntitlementContext(EntitlementRow Row, Caller Caller, DateTimeOffset Now, DateOnly ThisMonth, DbWrite Tx);

/// <summary>
/// The one path of the staff actions on an entitlement: load in the write transaction (404 when the caller may not see
/// it: ward staff see their own ward's), If-Match when sent (412 when stale), the table's role and status check
/// (403 before 409, so a caller who may never act learns nothing of the status), the action's own change, then the
/// engine (<see cref="EntitlementTransitions"/>) and commit. An action confirming a registry proposal closes it in the same
/// transaction (<see cref="EntitlementProposals.CloseAsConfirmedAsync"/>). Answers the entitlement as staff read it.
/// </summary>
public sealed class EntitlementActionRunner(Db db, TimeProvider clock, EntitlementViews views)
{
    /// <param name="then">What the action also writes once applied, in the same transaction (a notification).</param>
    public async Task<EntitlementResponse> RunAsync(IEntitlementCommand cmd, EntitlementAction action, Func<EntitlementContext, EntitlementChange> change,
        CancellationToken ct, Func<EntitlementContext, Task>? then = null)
    {
        var expected = Infrastructure.Http.IfMatch.Version(cmd.IfMatch);
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            var now = clock.GetUtcNow();
            var row = await EntitlementStore.LoadAsync(tx, cmd.Id);
            if (row is null || !EntitlementViews.Sees(cmd.Caller, row)) throw EntitlementViews.NotFound(cmd.Id);
            if (expected is { } v && v != row.Version)
                throw new ProblemException(StatusCodes.Status412PreconditionFailed, "entitlement-changed", "Khoản hưởng vừa được người khác cập nhật",
                    $"Phiên bản bạn gửi đã cũ (hiện tại {row.ETag} hoặc mới hơn). Hãy tải lại rồi thực hiện lại.");
            Refuse(EntitlementTransitions.Check(action, row.State, cmd.Caller.Role, now), row, cmd.Caller.Role, action);
            var context = new EntitlementContext(row, cmd.Caller, now, Months.First(Appointment.DateInVietnam(now)), tx);
            var c = change(context);
            var outcome = await EntitlementTransitions.ApplyAsync(tx, row.Subject, action, new EntitlementActor(cmd.Caller.Role, cmd.Caller.Id), c, now);
            if (outcome != EntitlementOutcome.Applied)
                throw new ProblemException(StatusCodes.Status412PreconditionFailed, "entitlement-changed", "Khoản hưởng vừa được người khác cập nhật",
                    "Hãy tải lại rồi thực hiện lại.");
            if (then is not null) await then(context);
            if (cmd.Confirms is { } proposal) await EntitlementProposals.CloseAsConfirmedAsync(tx, proposal, row.Id, cmd.Caller, now);
            await tx.CommitAsync();
        }
        return await views.StaffViewAsync(cmd.Caller, cmd.Id, ct);
    }

    private static void Refuse(TransitionVerdict verdict, EntitlementRow row, string role, EntitlementAction action)
    {
        var t = EntitlementRules.For(action);
        if (verdict == TransitionVerdict.RoleForbidden)
            throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-action", "Không có quyền thực hiện thao tác này",
                $"Vai trò '{role}' không được thực hiện '{action}' trên khoản hưởng. {t.Rule}");
        if (verdict == TransitionVerdict.NotFromThisStatus)
            throw ProblemException.Conflict("transition-not-allowed", "Không thể thực hiện ở trạng thái hiện tại",
                $"Khoản hưởng đang ở trạng thái {row.Status}; '{action}' chỉ được thực hiện khi ở: {string.Join(", ", t.From)}.");
    }
}
