using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Reason">Why the applicant withdraws.</param>
public sealed record WithdrawRequest(string? Reason);

/// <summary>The applicant withdraws the dossier before a decision.</summary>
public sealed record Withdraw(string Code, Caller Caller, string? TrackingSecret, string? IfMatch, bool English, WithdrawRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.Reason) || Body.Reason.Length > 500) yield return new("reason", "Vui lòng ghi lý do rút hồ sơ (tối đa 500 ký tự).");
    }
}

public sealed class WithdrawHandler(DossierActionRunner runner) : ICommandHandler<Withdraw, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(Withdraw cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.Withdraw, _ => Task.FromResult(new ActionPlan("Withdrawn", cmd.Body.Reason)
        {
            UpdateSql = ActionStatements.Sql.Complete,
            Notify = ["withdrawn"],
        }), ct);
}
