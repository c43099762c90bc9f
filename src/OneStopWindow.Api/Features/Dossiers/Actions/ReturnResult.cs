using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Note">Optional remark on the hand-over (in person, post, online).</param>
public sealed record ReturnResultRequest(string? Note);

/// <summary>Hand the result over to the applicant.</summary>
public sealed record ReturnResult(string Code, Caller Caller, string? IfMatch, bool English, ReturnResultRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Note?.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

public sealed class ReturnResultHandler(DossierActionRunner runner) : ICommandHandler<ReturnResult, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(ReturnResult cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.ReturnResult, _ => Task.FromResult(new ActionPlan("ResultReturned", cmd.Body.Note ?? "Đã trả kết quả.")
        {
            UpdateSql = ActionStatements.Sql.Complete,
            Notify = ["returned"],
        }), ct);
}
