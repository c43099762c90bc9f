using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <summary>What every state-changing request on a dossier carries.</summary>
public interface IDossierCommand
{
    string Code { get; }
    Caller Caller { get; }
    string? TrackingSecret { get; }
    string? IfMatch { get; }
    bool English { get; }
}

/// <summary>The dossier as the action sees it, inside the action's transaction.</summary>
public sealed record ActionContext(DossierRow Row, AccessKind Access, string Role, Caller Caller, DateTimeOffset Now, DateOnly Today,
    WorkingCalendar Calendar, DbWrite Tx);

/// <summary>
/// The one path every lifecycle action takes: load with access check (404 when not visible), role and
/// status checked against <see cref="DossierRules.Table"/> (403 / 409), If-Match against the version
/// (428 / 412), the action's own plan, then the transition engine (<see cref="DossierTransitions"/>) in the same
/// transaction: guarded update, timeline and outbox event, notifications, next workflow steps. Two concurrent actions:
/// one wins, one gets 412.
/// </summary>
public sealed class DossierActionRunner(Db db, TimeProvider clock, WorkingCalendarProvider calendars, WorkflowSignal workflow,
    DossierTransitions transitions, DossierViews views)
{
    public async Task<DossierResponse> RunAsync(IDossierCommand cmd, DossierAction action, Func<ActionContext, Task<ActionPlan>> plan, CancellationToken ct)
    {
        var expected = Infrastructure.Http.IfMatch.Required(cmd.IfMatch, "Thiếu phiên bản hồ sơ",
            "Gửi header If-Match với ETag nhận được khi đọc hồ sơ, để không ghi đè thay đổi của người khác.");
        var calendar = await calendars.GetAsync(ct);
        DossierRow after;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            var now = clock.GetUtcNow();   // taken holding the writer's turn, so the timeline's times follow the order of commits
            var (row, access) = await DossierAccess.LoadAsync(tx, cmd.Code, cmd.Caller, cmd.TrackingSecret);
            if (expected != row.Version) throw Stale(row);
            var role = DossierAccess.RuleRole(cmd.Caller, access);
            // Checked before the plan, whose own validation must not tell a caller who may not act anything about the dossier.
            Refuse(DossierTransitions.Check(action, row.State, role, now), row, role, action, Appointment.DateInVietnam(now));

            var context = new ActionContext(row, access, role, cmd.Caller, now, DossierViews.Today(clock), calendar, tx);
            var p = await plan(context);
            var outcome = await transitions.ApplyAsync(tx, new TransitionSubject(row.Id, row.Version, row.State, row.Target), action,
                new TransitionActor(role, cmd.Caller.Id), p, now);
            if (outcome != TransitionOutcome.Applied) throw Stale(row);
            await tx.CommitAsync();
            after = row;
        }
        workflow.StepsWritten();   // wakes this process's worker; other nodes find the steps at their next poll
        var (fresh, freshAccess) = await DossierAccess.LoadAsync(db, after.Code, cmd.Caller, cmd.TrackingSecret, ct);
        return await views.ToResponseAsync(fresh, freshAccess, cmd.English, ct);
    }

    private static void Refuse(TransitionVerdict verdict, DossierRow row, string role, DossierAction action, DateOnly day)
    {
        var transition = DossierRules.For(action);
        // Right by role and status, but the legal text that gave the role this competence for this procedure has ended: say which text and since when.
        if (verdict == TransitionVerdict.Allowed && Competences.LapsedFor(action, row.ProcedureCode, role, day) is { ValidTo: { } until } lapsed)
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "competence-expired", "Căn cứ thẩm quyền đã hết hiệu lực",
                $"Thẩm quyền '{action}' của vai trò '{role}' đối với thủ tục {row.ProcedureCode} theo {lapsed.Source} chỉ áp dụng đến hết ngày " +
                $"{until.AddDays(-1):dd/MM/yyyy} (hết hiệu lực từ {until:dd/MM/yyyy}); chưa có văn bản thay thế được ghi nhận. {transition.Rule}",
                new Dictionary<string, string[]>
                {
                    ["source"] = [lapsed.Source],
                    ["validFrom"] = [lapsed.ValidFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)],
                    ["validTo"] = [until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)],
                });
        if (verdict == TransitionVerdict.RoleForbidden)
            throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-action", "Không có quyền thực hiện thao tác này",
                $"Vai trò '{role}' không được thực hiện '{action}'. {transition.Rule}");
        if (verdict == TransitionVerdict.NotFromThisStatus)
            throw ProblemException.Conflict("transition-not-allowed", "Không thể thực hiện ở trạng thái hiện tại",
                $"Hồ sơ đang ở trạng thái {row.Status}; '{action}' chỉ được thực hiện khi hồ sơ ở: {string.Join(", ", transition.From)}.");
    }

    private static ProblemException Stale(DossierRow row) =>
        new(StatusCodes.Status412PreconditionFailed, "dossier-changed", "Hồ sơ vừa được người khác cập nhật",
            $"Phiên bản bạn gửi đã cũ (hiện tại {row.ETag} hoặc mới hơn). Hãy tải lại hồ sơ rồi thực hiện lại.");
}
