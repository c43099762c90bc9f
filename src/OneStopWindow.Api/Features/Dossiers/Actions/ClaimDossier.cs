using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <summary>Claim the dossier: the calling officer handles it.</summary>
public sealed record ClaimDossier(string Code, Caller Caller, string? IfMatch, bool English) : ICommand<DossierResponse>, IDossierCommand
{
    public string? TrackingSecret => null;
}

public sealed class ClaimDossierHandler(DossierActionRunner runner) : ICommandHandler<ClaimDossier, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(ClaimDossier cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.Claim, c => Task.FromResult(new ActionPlan("Claimed", $"Cán bộ {c.Caller.Name} nhận xử lý hồ sơ.")
        {
            UpdateSql = ActionStatements.Sql.SetOfficer,
            UpdateArgs = new { Officer = c.Caller.Id },
        }), ct);
}
