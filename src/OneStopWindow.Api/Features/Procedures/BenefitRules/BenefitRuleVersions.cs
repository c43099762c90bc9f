using System.Text.Json;
using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Procedures.BenefitRules;

/// <param name="Rule">The member of the parameters, e.g. <c>groups.child-without-care</c>.</param>
/// <param name="Source">The legal text it is taken from, to confirm before go-live.</param>
public sealed record UnconfirmedRuleResponse(string Rule, string Source);

/// <param name="ValidTo">Exclusive; null while it is the version in force.</param>
/// <param name="Parameters">The rules (format: api-specs/benefit-rules.md).</param>
/// <param name="LegalText">The legal text the administrator relied on.</param>
public sealed record BenefitRuleVersionResponse(DateOnly ValidFrom, DateOnly? ValidTo, JsonElement Parameters, string LegalText, string RecordedBy,
    DateTimeOffset RecordedAt, IReadOnlyList<UnconfirmedRuleResponse> Unconfirmed)
{
    public static BenefitRuleVersionResponse From(BenefitRuleRow r) => new(r.ValidFrom, r.ValidTo, JsonDocument.Parse(r.Parameters).RootElement.Clone(),
        r.LegalText, r.RecordedBy, r.RecordedAt, r.ToRuleSet().Unconfirmed().Select(u => new UnconfirmedRuleResponse(u.Rule, u.Source.LegalText)).ToList());
}

public sealed record ListBenefitRules(string Code) : IQuery<IReadOnlyList<BenefitRuleVersionResponse>>;

public sealed class ListBenefitRulesHandler(Db db) : IQueryHandler<ListBenefitRules, IReadOnlyList<BenefitRuleVersionResponse>>
{
    public async ValueTask<IReadOnlyList<BenefitRuleVersionResponse>> Handle(ListBenefitRules query, CancellationToken ct)
    {
        var versions = await BenefitRuleStore.VersionsAsync(db, query.Code.Trim().ToUpperInvariant(), ct);
        if (versions.Count == 0) throw ProblemException.NotFound($"quy định mức hưởng của thủ tục {query.Code}");
        return versions.Select(BenefitRuleVersionResponse.From).ToList();
    }
}

/// <param name="ValidFrom">The first day of the month the new rules apply from (amounts are per month).</param>
/// <param name="Parameters">The whole rule set in force from that month (not a difference).</param>
/// <param name="LegalText">The decree, decision or resolution (number, date) the new values come from.</param>
public sealed record AddBenefitRuleRequest(DateOnly? ValidFrom, JsonElement? Parameters, string? LegalText);

public sealed record AddBenefitRule(string Code, AddBenefitRuleRequest Request, Caller Caller) : ICommand<IReadOnlyList<BenefitRuleVersionResponse>>, IValidatable
{
    public IEnumerable<FieldError> Validate() => ProposedRuleVersion.FieldErrors(Request);
}

/// <summary>
/// An administrator records a new version of a procedure's rules from a month on: the version before it ends that
/// month, history is kept, and only a version after the latest may be added (an earlier month's amounts stay as decided).
/// </summary>
public sealed class AddBenefitRuleHandler(Db db, TimeProvider clock) : ICommandHandler<AddBenefitRule, IReadOnlyList<BenefitRuleVersionResponse>>
{
    public async ValueTask<IReadOnlyList<BenefitRuleVersionResponse>> Handle(AddBenefitRule cmd, CancellationToken ct)
    {
        var code = ProposedRuleVersion.Code(cmd.Code);
        var r = cmd.Request;
        var from = r.ValidFrom!.Value;
        ProposedRuleVersion.Parse(r);
        await using var tx = await db.BeginWriteAsync(ct);
        var latest = ProposedRuleVersion.Latest(cmd.Code, await tx.QueryAsync<BenefitRuleRow>(BenefitRuleStore.Sql.Versions, new { Code = code }), from);
        await tx.ExecuteAsync(Sql.Close, new { latest.Id, ValidTo = from });
        await tx.ExecuteAsync(Sql.Insert, new
        {
            Id = Guid.CreateVersion7(),
            Code = code,
            ValidFrom = from,
            Parameters = r.Parameters!.Value.GetRawText(),
            LegalText = r.LegalText!.Trim(),
            By = cmd.Caller.Id,
            Now = clock.GetUtcNow(),
        });
        await tx.CommitAsync();
        return (await BenefitRuleStore.VersionsAsync(db, code, ct)).Select(BenefitRuleVersionResponse.From).ToList();
    }

    internal static class Sql
    {
        public const string Close = "UPDATE benefit_rule SET valid_to = @ValidTo WHERE id = @Id AND valid_to IS NULL";
        public const string Insert = """
            INSERT INTO benefit_rule (id, procedure_code, valid_from, valid_to, parameters, legal_text, recorded_by, recorded_at)
            VALUES (@Id, @Code, @ValidFrom, NULL, @Parameters, @LegalText, @By, @Now)
            """;
    }
}

public static class BenefitRuleEndpoints
{
    public static IEndpointRouteBuilder MapBenefitRules(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/procedures/{code}/benefit-rules", async (string code, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListBenefitRules(code), ct)))
            .WithTags("Procedures").AllowAnonymous()
            .WithName("ListBenefitRules")
            .WithSummary("Every version of a procedure's benefit rules, with validity dates, legal text and who recorded it")
            .WithDescription("Public. Amounts for a month use the version in force that month. Values still to be confirmed against the legal text are listed in `unconfirmed`.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/v1/procedures/{code}/benefit-rules", async (string code, AddBenefitRuleRequest request, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new AddBenefitRule(code, request, Caller.From(http.User)), ct)))
            .WithTags("Procedures").RequireAuthorization(Policies.Administrator)
            .WithName("AddBenefitRule").WithRequestExample(() => System.Text.Json.Nodes.JsonNode.Parse("""
                {
                  "validFrom": "2040-01-01",
                  "legalText": "Ví dụ: Nghị quyết số …/NQ-HĐND của HĐND tỉnh Phú Thọ quy định mức chuẩn trợ giúp xã hội của tỉnh",
                  "parameters": {
                    "standardLevel": { "vnd": 500000, "legalText": "Nghị định 76/2024/NĐ-CP", "confirmed": true },
                    "provincialStandardLevel": { "vnd": 550000, "legalText": "Ví dụ: Nghị quyết của HĐND tỉnh Phú Thọ", "confirmed": false },
                    "funeral": { "multiple": 20, "legalText": "Nghị định 20/2021/NĐ-CP Điều 11", "confirmed": false }
                  }
                }
                """)!)
            .WithSummary("Record new benefit rules from a month on (a decree or a People's Council resolution changed them)")
            .WithDescription("Administrators. The whole rule set, valid from the first day of a month after the latest version's; " +
                "the version before it ends there. Format: api-specs/benefit-rules.md. " +
                "See its effect first: `POST /api/v1/procedures/{code}/benefit-rules/dry-run` (DryRunBenefitRule) takes this same body, saves " +
                "nothing and answers who changes, by how much and from which month, with totals per ward.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
