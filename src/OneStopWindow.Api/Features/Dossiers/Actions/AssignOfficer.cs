using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="OfficerId">The officer's subject id (the `sub` claim of their token).</param>
/// <param name="Note">Why the ward hands it to this officer.</param>
public sealed record AssignOfficerRequest(string? OfficerId, string? Note);

/// <summary>Assign the dossier to an officer of the ward.</summary>
public sealed record AssignOfficer(string Code, Caller Caller, string? IfMatch, bool English, AssignOfficerRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.OfficerId) || Body.OfficerId.Length > 200) yield return new("officerId", "Vui lòng ghi mã cán bộ được giao (tối đa 200 ký tự).");
        if (Body.Note?.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

public sealed class AssignOfficerHandler(DossierActionRunner runner) : ICommandHandler<AssignOfficer, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(AssignOfficer cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.Assign, c => Task.FromResult(new ActionPlan("Assigned", $"Giao cho cán bộ {cmd.Body.OfficerId}. {cmd.Body.Note}".Trim())
        {
            UpdateSql = ActionStatements.Sql.SetOfficer,
            UpdateArgs = new { Officer = cmd.Body.OfficerId },
        }), ct);
}
