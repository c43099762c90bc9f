using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneStopWindow.Api.Infrastructure.Http;

namespace OneStopWindow.Api.Features.Procedures;

public static class ProcedureEndpoints
{
    public static IEndpointRouteBuilder MapProcedures(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/procedures").WithTags("Procedures").AllowAnonymous();

        group.MapGet("/", List).WithName("ListProcedures")
            .WithSummary("List the procedure catalogue")
            .WithDescription("Public: anyone may call. Filters by text (accent-insensitive, e.g. `tro cap`) and by category. Vietnamese by default; `Accept-Language: en` for English.")
            .ProducesValidationProblem();

        group.MapGet("/{code}", Get).WithName("GetProcedure")
            .WithSummary("Get one procedure with its documents, deadline, fee and form schema")
            .WithDescription("Public: anyone may call. `formSchema` is the JSON Schema that `formFields` of a submission must satisfy; `exampleForm` is a valid instance.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="q">Text to look for in the code or name (accent-insensitive).</param>
    /// <param name="category">Exact category, e.g. `social-allowance`.</param>
    private static async Task<Ok<IReadOnlyList<ProcedureSummaryResponse>>> List(
        string? q, string? category, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var language = LanguageNegotiation.From(http.Request);
        LanguageNegotiation.Announce(http.Response, language);
        return TypedResults.Ok(await mediator.Send(new ListProcedures(q, category, language), ct));
    }

    /// <param name="code">Procedure code, e.g. `BTXH-01`.</param>
    private static async Task<Ok<ProcedureResponse>> Get(string code, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var language = LanguageNegotiation.From(http.Request);
        LanguageNegotiation.Announce(http.Response, language);
        return TypedResults.Ok(await mediator.Send(new GetProcedure(code, language), ct));
    }
}
