using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Api.Infrastructure.Text;

namespace OneStopWindow.Api.Features.Procedures;

public sealed record ListProcedures(string? Q, string? Category, Language Language)
    : IQuery<IReadOnlyList<ProcedureSummaryResponse>>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Q?.Length > 100) yield return new("q", "Từ khóa tìm kiếm tối đa 100 ký tự.");
        if (Category?.Length > 64) yield return new("category", "Nhóm thủ tục tối đa 64 ký tự.");
    }
}

public sealed record GetProcedure(string Code, Language Language) : IQuery<ProcedureResponse>;

public sealed class ProcedureQueryHandler(Db db, TimeProvider clock)
    : IQueryHandler<ListProcedures, IReadOnlyList<ProcedureSummaryResponse>>, IQueryHandler<GetProcedure, ProcedureResponse>
{
    public async ValueTask<IReadOnlyList<ProcedureSummaryResponse>> Handle(ListProcedures query, CancellationToken ct)
    {
        var rows = await db.QueryAsync<string>(Sql.List, new
        {
            Pattern = SearchText.ContainsPattern(query.Q),
            Category = string.IsNullOrWhiteSpace(query.Category) ? null : query.Category.Trim(),
        }, ct);
        var today = Domain.Calendar.Appointment.DateInVietnam(clock.GetUtcNow());
        return rows.Select(r => ProcedureDefinition.Parse(r).ToSummary(query.Language, today)).ToList();
    }

    public async ValueTask<ProcedureResponse> Handle(GetProcedure query, CancellationToken ct)
    {
        var procedure = await ProcedureDefinition.LoadAsync(db, query.Code.Trim().ToUpperInvariant(), ct)
                  ?? throw ProblemException.NotFound($"thủ tục {query.Code}");
        var today = Domain.Calendar.Appointment.DateInVietnam(clock.GetUtcNow());
        var response = procedure.ToResponse(query.Language, today);
        if (response.Benefit is null) return response;
        // The rules shown are the stored version in force today (the seed's text is only their first version).
        var inForce = (await BenefitRules.BenefitRuleStore.VersionsAsync(db, response.Code, ct))
            .LastOrDefault(v => v.ValidFrom <= today && (v.ValidTo is null || today < v.ValidTo));
        if (inForce is null) return response;
        var version = BenefitRules.BenefitRuleVersionResponse.From(inForce);
        return response with
        {
            Benefit = response.Benefit with
            {
                Parameters = version.Parameters,
                ValidFrom = version.ValidFrom,
                LegalText = version.LegalText,
                UnconfirmedRules = version.Unconfirmed,
                Versions = $"/api/v1/procedures/{response.Code}/benefit-rules",
            },
        };
    }

    internal static class Sql
    {
        public const string List = """
            SELECT definition FROM catalogue_procedure
            WHERE search_text LIKE @Pattern AND (@Category IS NULL OR category = @Category)
            ORDER BY code
            """;
    }
}
