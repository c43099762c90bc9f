using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Reason">Form 03 reason: `outside-competence` (not the ward's to decide) or `not-covered-by-procedure` (not what the procedure is for).</param>
/// <param name="Explanation">The written reasons the applicant reads (required), e.g. which unit is competent.</param>
public sealed record RefuseReceptionRequest(string? Reason, string? Explanation);

/// <summary>
/// Refuse to receive the dossier (Form 03, national status 3): before anyone claims it, an officer of the handling ward
/// refuses with a reason from the closed list and a written explanation; the dossier ends and the applicant is told.
/// </summary>
public sealed record RefuseReception(string Code, Caller Caller, string? IfMatch, bool English, RefuseReceptionRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Reason is null || !ReceptionRefusal.Reasons.ContainsKey(Body.Reason))
            yield return new("reason", $"Lý do từ chối tiếp nhận (Mẫu 03) là một trong: {string.Join(", ", ReceptionRefusal.Reasons.Keys)}.");
        if (string.IsNullOrWhiteSpace(Body.Explanation) || Body.Explanation.Length > ReceptionRefusal.ExplanationMaxLength)
            yield return new("explanation", $"Ghi rõ lý do để người nộp hồ sơ biết (tối đa {ReceptionRefusal.ExplanationMaxLength} ký tự).");
    }
}

public sealed class RefuseReceptionHandler(DossierActionRunner runner) : ICommandHandler<RefuseReception, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(RefuseReception cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.RefuseReception, c =>
        {
            var reason = cmd.Body.Reason!;
            var explanation = cmd.Body.Explanation!.Trim();
            var english = c.Row.Language == "en";
            return Task.FromResult(new ActionPlan("RefusedAtReception",
                $"Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03). Lý do: {ReceptionRefusal.Label(reason, false)}. {explanation}")
            {
                UpdateSql = Sql.Refuse,
                UpdateArgs = new { Reason = reason, Explanation = explanation },
                Notify = ["reception-refused"],
                NotifyValues = new Dictionary<string, string>
                {
                    ["reason"] = ReceptionRefusal.Label(reason, english),
                    ["explanation"] = explanation,
                },
                PaperFacts = new() { Reason = ReceptionRefusal.Label(reason, false), Explanation = explanation, ActorRole = c.Role },
            });
        }, ct);

    internal static class Sql
    {
        public const string Refuse = """
            UPDATE dossier SET status = @Status, refusal_reason = @Reason, refusal_explanation = @Explanation, completed_at = @Now,
                version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
