using Dapper;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

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
/// What an action changes. <see cref="UpdateSql"/> must set status = @Status, version = version + 1 and
/// updated_at = @Now and be guarded by WHERE id = @Id AND version = @Version.
/// </summary>
public sealed record ActionPlan(string EventKind, string? Note)
{
    public string UpdateSql { get; init; } = DossierActionRunner.Sql.Touch;
    public object? UpdateArgs { get; init; }
    public DossierStatus? To { get; init; }
    public IReadOnlyList<string> Notify { get; init; } = [];
    public IReadOnlyDictionary<string, string> NotifyValues { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<(string Kind, DateTimeOffset? DueAt)> Steps { get; init; } = [];
}

/// <summary>
/// The one path every lifecycle action takes: load with access check (404 when not visible), role and
/// status checked against <see cref="DossierRules.Table"/> (403 / 409), If-Match against the version
/// (428 / 412), the action's own plan, then one transaction with the guarded update, the timeline event,
/// the queued notifications and the next workflow steps. Two concurrent actions: one wins, one gets 412.
/// </summary>
public sealed class DossierActionRunner(Db db, TimeProvider clock, WorkingCalendarProvider calendars, WorkflowSignal workflow,
    NotificationQueue notifications, DossierViews views)
{
    public async Task<DossierResponse> RunAsync(IDossierCommand cmd, DossierAction action, Func<ActionContext, Task<ActionPlan>> plan, CancellationToken ct)
    {
        var expected = ParseIfMatch(cmd.IfMatch);
        var now = clock.GetUtcNow();
        var calendar = await calendars.GetAsync(ct);
        DossierRow after;
        AccessKind access;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            (var row, access) = await DossierAccess.LoadAsync(tx, cmd.Code, cmd.Caller, cmd.TrackingSecret);
            if (expected != row.Version) throw Stale(row);
            var role = DossierAccess.RuleRole(cmd.Caller, access);
            var transition = DossierRules.For(action);
            if (!transition.Roles.Contains(role))
                throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-action", "Không có quyền thực hiện thao tác này",
                    $"Vai trò '{role}' không được thực hiện '{action}'. {transition.Rule}");
            if (!transition.From.Contains(row.State))
                throw ProblemException.Conflict("transition-not-allowed", "Không thể thực hiện ở trạng thái hiện tại",
                    $"Hồ sơ đang ở trạng thái {row.Status}; '{action}' chỉ được thực hiện khi hồ sơ ở: {string.Join(", ", transition.From)}.");

            var context = new ActionContext(row, access, role, cmd.Caller, now, DossierViews.Today(clock), calendar, tx);
            var p = await plan(context);
            var status = p.To ?? transition.To ?? row.State;
            var args = new DynamicParameters(p.UpdateArgs);
            args.AddDynamicParams(new { row.Id, row.Version, Status = status.ToString(), Now = now });
            if (await tx.ExecuteAsync(p.UpdateSql, args) == 0) throw Stale(row);
            await Timeline.AppendAsync(tx, new(row.Id, p.EventKind, status.ToString(), cmd.Caller.Id, role, now, p.Note));
            foreach (var kind in p.Notify) await notifications.QueueAsync(tx, row.Target, kind, now, p.NotifyValues);
            foreach (var (kind, dueAt) in p.Steps)
            {
                await tx.ExecuteAsync(WorkflowSql.InsertStep, new { Id = Guid.CreateVersion7(), DossierId = row.Id, Kind = kind, Now = now, DueAt = dueAt });
            }
            await tx.CommitAsync();
            after = row;
        }
        workflow.StepsWritten();   // wakes this process's worker; other nodes find the steps at their next poll
        var (fresh, freshAccess) = await DossierAccess.LoadAsync(db, after.Code, cmd.Caller, cmd.TrackingSecret, ct);
        return await views.ToResponseAsync(fresh, freshAccess, cmd.English, ct);
    }

    private static int ParseIfMatch(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
            throw new ProblemException(StatusCodes.Status428PreconditionRequired, "if-match-required", "Thiếu phiên bản hồ sơ",
                "Gửi header If-Match với ETag nhận được khi đọc hồ sơ, để không ghi đè thay đổi của người khác.");
        var text = ifMatch.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        return int.TryParse(text.Trim('"'), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
            : throw ProblemException.Validation([new("If-Match", "ETag không hợp lệ (ví dụ \"3\").")]);
    }

    private static ProblemException Stale(DossierRow row) =>
        new(StatusCodes.Status412PreconditionFailed, "dossier-changed", "Hồ sơ vừa được người khác cập nhật",
            $"Phiên bản bạn gửi đã cũ (hiện tại {row.ETag} hoặc mới hơn). Hãy tải lại hồ sơ rồi thực hiện lại.");

    internal static class Sql
    {
        public const string Touch = """
            UPDATE dossier SET status = @Status, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
