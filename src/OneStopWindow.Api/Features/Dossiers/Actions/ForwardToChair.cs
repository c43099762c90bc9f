using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Note">The officer's proposal to the chair.</param>
public sealed record ForwardRequest(string? Note);

/// <summary>Forward the dossier to the ward chair for a decision.</summary>
public sealed record ForwardToChair(string Code, Caller Caller, string? IfMatch, bool English, ForwardRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Note?.Length > 2000) yield return new("note", "Ghi chú tối đa 2000 ký tự.");
    }
}

public sealed class ForwardToChairHandler(DossierActionRunner runner) : ICommandHandler<ForwardToChair, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(ForwardToChair cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.ForwardToChair, async c =>
        {
            var definition = await ProcedureDefinition.LoadAsync(c.Tx, c.Row.ProcedureCode);
            if (definition.RequiresPublicPosting && !c.Row.PostingDone)
                throw ProblemException.Conflict("posting-required", "Hồ sơ phải được niêm yết công khai trước khi trình",
                    "Thủ tục này yêu cầu niêm yết công khai; hãy niêm yết và chờ hết thời gian niêm yết.");
            return new ActionPlan("ForwardedToChair", cmd.Body.Note ?? "Trình Chủ tịch UBND xem xét, quyết định.");
        }, ct);
}
