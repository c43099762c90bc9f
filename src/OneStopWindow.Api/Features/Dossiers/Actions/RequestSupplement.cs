using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="DocumentCode">A code of the procedure's checklist, when the item is a document.</param>
/// <param name="Description">What is missing or wrong, in words the citizen understands.</param>
public sealed record SupplementItemRequest(string? DocumentCode, string? Description);

/// <param name="Items">Everything missing, listed at once (Form 02).</param>
/// <param name="OverrideReason">A second request is allowed only to a provincial officer, with this reason.</param>
public sealed record RequestSupplementRequest(IReadOnlyList<SupplementItemRequest>? Items, string? OverrideReason);

/// <summary>Request a supplement (Form 02): everything missing at once; the clock pauses.</summary>
public sealed record RequestSupplement(string Code, Caller Caller, string? IfMatch, bool English, RequestSupplementRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Items is not { Count: > 0 } items) { yield return new("items", "Liệt kê đầy đủ các nội dung cần bổ sung (ít nhất một)."); yield break; }
        if (items.Count > 30) yield return new("items", "Tối đa 30 nội dung.");
        for (var i = 0; i < items.Count; i++)
            if (string.IsNullOrWhiteSpace(items[i].Description) || items[i].Description!.Length > 500)
                yield return new($"items[{i}].description", "Mô tả nội dung cần bổ sung (tối đa 500 ký tự).");
        if (Body.OverrideReason?.Length > 1000) yield return new("overrideReason", "Lý do tối đa 1000 ký tự.");
    }
}

public sealed class RequestSupplementHandler(DossierActionRunner runner) : ICommandHandler<RequestSupplement, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(RequestSupplement cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.RequestSupplement, c =>
        {
            switch (Supplement.MayRequest(c.Row.SupplementCount, c.Caller.IsProvincial, cmd.Body.OverrideReason))
            {
                case Supplement.Verdict.NeedsProvincialOverride:
                    throw ProblemException.Conflict("supplement-already-requested", "Đã yêu cầu bổ sung một lần",
                        "Chỉ được yêu cầu bổ sung một lần, liệt kê đầy đủ; lần tiếp theo cần cán bộ cấp tỉnh phê duyệt kèm lý do.");
                case Supplement.Verdict.NeedsReason:
                    throw ProblemException.Validation([new("overrideReason", "Yêu cầu bổ sung lần hai phải ghi lý do phê duyệt.")]);
            }
            var items = string.Join("; ", cmd.Body.Items!.Select(i => i.DocumentCode is null ? i.Description : $"{i.DocumentCode}: {i.Description}"));
            var remaining = Supplement.RemainingOnPause(c.Calendar, c.Today, c.Row.AppointmentDate);
            var note = $"Phiếu yêu cầu bổ sung (Mẫu 02): {items}. Tạm dừng thời hạn, còn {remaining} ngày làm việc."
                       + (cmd.Body.OverrideReason is { } r ? $" Phê duyệt lần {c.Row.SupplementCount + 1}: {r}" : "");
            return Task.FromResult(new ActionPlan("SupplementRequested", note)
            {
                UpdateSql = Sql.PauseClock,
                UpdateArgs = new { Remaining = remaining },
                Notify = ["supplement-requested"],
                NotifyValues = new Dictionary<string, string> { ["items"] = items },
                PaperFacts = new()
                {
                    Items = cmd.Body.Items!.Select(i => i.Description!.Trim()).ToList(),
                    Reason = cmd.Body.OverrideReason,
                    ProcessingDays = remaining,
                    ActorRole = c.Role,
                },
            });
        }, ct);

    internal static class Sql
    {
        public const string PauseClock = """
            UPDATE dossier SET status = @Status, supplement_count = supplement_count + 1, clock_paused_at = @Now,
                remaining_working_days = @Remaining, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
