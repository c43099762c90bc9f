using Mediator;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Infrastructure.Auth;

namespace OneStopWindow.Api.Features.Papers;

public static class PaperEndpoints
{
    /// <summary>Seconds a client waits before asking again for a paper still being rendered.</summary>
    public const int RetryAfterSeconds = 1;

    public static IServiceCollection AddPapers(this IServiceCollection services)
    {
        PaperFonts.Register();
        services.AddSingleton<StepKind, RenderPaperStep>();
        return services;
    }

    public static IEndpointRouteBuilder MapPapers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/dossiers/{code}/papers").WithTags("Papers").AllowAnonymous();
        const string who = "The same callers as the dossier: the applicant (token or `" + DossierEndpoints.TrackingSecretHeader + "`), staff of the handling " +
            "ward, provincial officers, integration clients with the `" + Scopes.ReadDocuments + "` scope within their procedures and wards; others 404. " +
            "A client key without that scope: 403. The decision (beneficiary and amount) and the control sheet are not shown to a tracking-secret holder. " +
            "Reads by staff and clients are access-logged.";
        group.MapGet("/", List).WithName("ListPapers")
            .WithSummary("The papers the dossier's events issued (Forms 01-05, the decision)")
            .WithDescription(who + " Each paper is issued when its event happens and rendered right after; `ready` is false meanwhile.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{paperId:guid}", Get).WithName("GetPaper")
            .WithSummary("One paper as a PDF, exactly as stored (its SHA-256 is on the timeline)")
            .WithDescription(who + $" While the paper is still being rendered: 202 with `Retry-After: {RetryAfterSeconds}` (well under a second on the embedded default).")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="code">Dossier code.</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<PaperListResponse>> List(string code, [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? trackingSecret,
        HttpContext http, IMediator m, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await m.Send(new ListPapers(code, Caller.From(http.User), trackingSecret), ct));
    }

    /// <param name="code">Dossier code.</param>
    /// <param name="paperId">The paper's id (from the list, or the counter filing's `receiptPaper`).</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<IResult> Get(string code, Guid paperId, [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? trackingSecret,
        HttpContext http, IMediator m, CancellationToken ct)
    {
        var paper = await m.Send(new GetPaper(code, paperId, Caller.From(http.User), trackingSecret), ct);
        http.Response.Headers.CacheControl = "no-store";
        if (paper.Content is null)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Accepted((string?)null);
        }
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        http.Response.Headers.ETag = $"\"{paper.Sha256}\"";
        return TypedResults.File(paper.Content, "application/pdf", paper.FileName);
    }
}
