using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <summary>Post the dossier publicly at the ward office for the procedure's period.</summary>
public sealed record StartPosting(string Code, Caller Caller, string? IfMatch, bool English) : ICommand<DossierResponse>, IDossierCommand
{
    public string? TrackingSecret => null;
}

public sealed class StartPostingHandler(DossierActionRunner runner, OfficeHours hours) : ICommandHandler<StartPosting, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(StartPosting cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.StartPosting, async c =>
        {
            var definition = await ProcedureDefinition.LoadAsync(c.Tx, c.Row.ProcedureCode);
            if (!definition.RequiresPublicPosting)
                throw ProblemException.Conflict("posting-not-required", "Thủ tục này không niêm yết công khai");
            if (c.Row.PostingDone) throw ProblemException.Conflict("posting-done", "Hồ sơ đã được niêm yết");
            var days = definition.Root.GetProperty("postingDays").GetInt32();
            var (lastDay, endsAt) = PublicPosting.Period(c.Today, days, c.Calendar, hours);
            return new ActionPlan("PostingStarted", $"Niêm yết công khai {days} ngày làm việc, đến {hours.Close:HH\\:mm} ngày {Templates.Date(lastDay)}.")
            {
                UpdateSql = Sql.StartPosting,
                UpdateArgs = new { EndsAt = endsAt },
                Notify = ["posted"],
                NotifyValues = new Dictionary<string, string> { ["until"] = Templates.Date(lastDay) },
                Steps = [(WorkflowSteps.EndPosting, endsAt)],
            };
        }, ct);

    internal static class Sql
    {
        public const string StartPosting = """
            UPDATE dossier SET status = @Status, posting_ends_at = @EndsAt, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
