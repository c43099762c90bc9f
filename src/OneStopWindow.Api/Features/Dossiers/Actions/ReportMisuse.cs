using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Reason">What the person wants the ward to know (optional).</param>
public sealed record ReportMisuseRequest(string? Reason);

/// <summary>
/// The person a dossier was filed for, signed in with their own identity number, reports that they did not file it.
/// Only they may (a tracking secret is the filer's): the ward sees the report on the timeline; nothing about the filer
/// is shown to them.
/// </summary>
public sealed record ReportMisuse(string Code, Caller Caller, string? IfMatch, bool English, ReportMisuseRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Reason?.Length > 1000) yield return new("reason", "Nội dung tối đa 1000 ký tự.");
    }
}

public sealed class ReportMisuseHandler(DossierActionRunner runner) : ICommandHandler<ReportMisuse, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(ReportMisuse cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.ReportMisuse, c =>
        {
            if (c.Access != AccessKind.Owner)
                throw new ProblemException(StatusCodes.Status403Forbidden, "applicant-only", "Chỉ người được đề nghị mới báo được",
                    "Đăng nhập bằng tài khoản định danh của chính người có tên trong hồ sơ.");
            if (c.Row.OwnerIdHash == c.Caller.IdHash)
                throw ProblemException.Conflict("filed-by-you", "Hồ sơ do chính bạn nộp", "Nếu không muốn tiếp tục, hãy rút hồ sơ.");
            return Task.FromResult(new ActionPlan("ReportedByApplicant",
                $"Người có tên trong hồ sơ báo không do họ đề nghị. {cmd.Body.Reason}".Trim()));
        }, ct);
}
