using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Findings">What the verification found (population database, documents, home visit…).</param>
public sealed record RecordVerificationRequest(string? Findings);

/// <summary>Record what the verification found.</summary>
public sealed record RecordVerification(string Code, Caller Caller, string? IfMatch, bool English, RecordVerificationRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.Findings) || Body.Findings.Length > 2000) yield return new("findings", "Vui lòng ghi kết quả thẩm định (tối đa 2000 ký tự).");
    }
}

public sealed class RecordVerificationHandler(DossierActionRunner runner) : ICommandHandler<RecordVerification, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(RecordVerification cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.RecordVerification, _ => Task.FromResult(new ActionPlan("Verified", cmd.Body.Findings)), ct);
}
