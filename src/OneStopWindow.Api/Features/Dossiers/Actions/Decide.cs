using System.Globalization;
using System.Text.Json;
using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Reasons">Approval: optional remarks. Rejection: the reasons, required (the written reply).</param>
/// <param name="LegalBasis">Legal basis of the decision; defaults to the procedure's.</param>
public sealed record DecisionRequest(string? Reasons, string? LegalBasis);

/// <summary>The chair grants or refuses: the decision with its number, legal basis and benefit.</summary>
public sealed record Decide(string Code, Caller Caller, string? IfMatch, bool English, bool Approve, DecisionRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (!Approve && string.IsNullOrWhiteSpace(Body.Reasons)) yield return new("reasons", "Từ chối phải nêu rõ lý do.");
        if (Body.Reasons?.Length > 2000) yield return new("reasons", "Lý do tối đa 2000 ký tự.");
        if (Body.LegalBasis?.Length > 500) yield return new("legalBasis", "Căn cứ pháp lý tối đa 500 ký tự.");
    }
}

public sealed class DecideHandler(DossierActionRunner runner, Db db, BenefitChecks benefits, Entitlements.EntitlementRegister register)
    : ICommandHandler<Decide, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(Decide cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, cmd.Approve ? DossierAction.Approve : DossierAction.Reject, async c =>
        {
            var definition = await ProcedureDefinition.LoadAsync(c.Tx, c.Row.ProcedureCode);
            var ward = c.Row.HandlingWardCode ?? "25";
            var sequence = await c.Tx.ScalarAsync<long>(db.Dialect.NextDossierSequence, new { UnitCode = "QD-" + ward, ReceiptDay = new DateOnly(c.Today.Year, 1, 1) });
            var number = string.Create(CultureInfo.InvariantCulture, $"{sequence}/QĐ-UBND");
            // By default the texts in force on the day of the decision (an expired one is not a basis any more).
            var legalBasis = cmd.Body.LegalBasis ?? string.Join("; ", definition.LegalBases(Infrastructure.Http.Language.Vi, c.Today)
                .Where(b => !b.Expired && (b.ValidFrom is null || b.ValidFrom <= c.Today)).Select(b => b.Text));
            // Approval: what the rules in force this month allow, or 422 naming the rule (the chair may still reject).
            var check = cmd.Approve ? await benefits.CheckWithClaimAsync(c.Row, c.Today, ct) : null;
            var allowed = check?.Decision;
            if (allowed is BenefitRefused refused) throw BenefitChecks.Refusal(refused.Rule, refused.Source, refused.Message);
            // The register changes in the approval's own transaction (issue 18): an entitlement starts, changes or ends, or a payable is due.
            if (check is not null)
            {
                try
                {
                    await register.RecordDecisionAsync(c.Tx, new(c.Row.Id, c.Row.ProcedureCode, c.Row.PersonIdHash, c.Row.ApplicantIdHash, check.BeneficiaryName,
                        ward, number, check.Decision, check.Claim, new(c.Role, c.Caller.Id)), c.Now);
                }
                catch (System.Data.Common.DbException e) when (Infrastructure.Data.DbErrors.IsUniqueViolation(e))
                {
                    // Another approval for the same person and benefit committed first (two writers, SQL Server): the database's
                    // one-open-entitlement index refused this one; nothing of it is kept.
                    throw ProblemException.Conflict("entitlement-changed", "Khoản hưởng của người này vừa thay đổi",
                        "Một quyết định khác cho cùng người hưởng và cùng chế độ vừa được ghi. Hãy tải lại hồ sơ rồi thực hiện lại.");
                }
            }
            var benefit = (allowed as BenefitGranted)?.Amount;
            var fromMonth = allowed is BenefitGranted { Amount.Monthly: true } granted ? EffectiveMonth.Of(granted.FromMonth) : null;
            var lastMonth = allowed is BenefitStopped stopped ? EffectiveMonth.Of(stopped.LastMonth) : null;
            var outcome = cmd.Approve ? DossierOutcome.Granted : DossierOutcome.Denied;
            var decision = new DecisionResponse(number, c.Today, outcome.ToString(), legalBasis, fromMonth,
                benefit?.Vnd, benefit?.Monthly, benefit?.Coefficient, benefit?.StandardLevelVnd, cmd.Body.Reasons)
            { LastMonth = lastMonth };
            var summary = !cmd.Approve ? $"Văn bản {number}: không chấp thuận. Lý do: {cmd.Body.Reasons}"
                : lastMonth is not null ? $"Quyết định {number}: thôi hưởng; chi trả đến hết tháng {lastMonth} ({((BenefitStopped)allowed!).Basis})."
                : $"Quyết định {number}: chấp thuận" + (benefit is null ? "."
                    : $", {benefit.Vnd:#,0} đồng{(benefit.Monthly ? "/tháng từ tháng " + fromMonth : "")} ({benefit.Basis}).");
            var json = JsonSerializer.Serialize(decision, JsonSerializerOptions.Web);
            return new ActionPlan(cmd.Approve ? "Approved" : "Rejected", summary)
            {
                UpdateSql = Sql.Decide,
                UpdateArgs = new { Outcome = outcome.ToString(), Number = number, Date = c.Today, Json = json },
                // The decision's paper (and the control sheet) print what was decided, by whom, as of this moment.
                PaperFacts = new()
                {
                    Decision = JsonDocument.Parse(json).RootElement.Clone(),
                    BeneficiaryName = check?.BeneficiaryName,
                    LegalBasis = legalBasis,
                    SignerName = c.Caller.Name == c.Caller.Role ? null : c.Caller.Name,   // a token without a name: a blank to sign by hand
                    ActorRole = c.Role,
                },
                Notify = ["decided"],
                NotifyValues = new Dictionary<string, string>
                {
                    ["outcome"] = cmd.Approve ? (c.Row.Language == "en" ? "granted" : "chấp thuận") : (c.Row.Language == "en" ? "not granted" : "không chấp thuận"),
                    ["detail"] = summary,
                },
            };
        }, ct);

    internal static class Sql
    {
        public const string Decide = """
            UPDATE dossier SET status = @Status, outcome = @Outcome, decision_number = @Number, decision_date = @Date,
                decision_json = @Json, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
