using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Score">1 = not satisfied, 2 = satisfied, 3 = very satisfied.</param>
/// <param name="Comment">Optional words for the ward.</param>
public sealed record RatingRequest(int? Score, string? Comment);

/// <summary>The applicant rates the service, once.</summary>
public sealed record Rate(string Code, Caller Caller, string? TrackingSecret, string? IfMatch, bool English, RatingRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Body.Score is not (1 or 2 or 3)) yield return new("score", "Mức đánh giá: 1 = không hài lòng, 2 = hài lòng, 3 = rất hài lòng.");
        if (Body.Comment?.Length > 1000) yield return new("comment", "Góp ý tối đa 1000 ký tự.");
    }
}

public sealed class RateHandler(DossierActionRunner runner) : ICommandHandler<Rate, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(Rate cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.Rate, c =>
        {
            if (c.Row.Rating is not null) throw ProblemException.Conflict("already-rated", "Hồ sơ đã được đánh giá");
            return Task.FromResult(new ActionPlan("Rated", $"Đánh giá {cmd.Body.Score}/3. {cmd.Body.Comment}".Trim())
            {
                UpdateSql = Sql.Rate,
                UpdateArgs = new { cmd.Body.Score },
            });
        }, ct);

    internal static class Sql
    {
        public const string Rate = """
            UPDATE dossier SET status = @Status, rating = @Score, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
