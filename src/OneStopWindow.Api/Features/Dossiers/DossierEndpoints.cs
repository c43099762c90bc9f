using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Features.Dossiers.GetStatus;
using OneStopWindow.Api.Features.Dossiers.GetTimeline;
using OneStopWindow.Api.Features.Dossiers.Submit;
using OneStopWindow.Api.Infrastructure.Http;

namespace OneStopWindow.Api.Features.Dossiers;

public static class DossierEndpoints
{
    public const string TrackingSecretHeader = "X-Tracking-Secret";

    public static IEndpointRouteBuilder MapDossiers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/dossiers").WithTags("Dossiers");

        group.MapPost("/", Submit).WithName("SubmitDossier").AllowAnonymous()
            .WithSummary("Submit a dossier and get the receipt")
            .WithDescription("""
                Public: anyone may file (a citizen, or staff at the counter on a citizen's behalf). The body is validated
                against the identifier formats and the procedure's `formSchema`; any bad field answers 400 with every
                problem listed and nothing is stored. The receipt's `trackingSecret` is shown only here (and on an
                idempotent replay). Send an `Idempotency-Key` (16–64 of `A-Z a-z 0-9 - _`, e.g. a UUID) to retry safely:
                the same key with the same body within 7 days returns the same receipt (`Idempotent-Replayed: true`)
                and creates nothing; the same key with a different body answers 422.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/{code}", GetStatus).WithName("GetDossierStatus").AllowAnonymous()
            .WithSummary("Track a dossier: status, handling ward, appointment date")
            .WithDescription($"Whoever holds the dossier code and its tracking secret (header `{TrackingSecretHeader}`). A wrong or missing secret answers 404, exactly like an unknown code. Personal data is masked.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{code}/timeline", GetTimeline).WithName("GetDossierTimeline").AllowAnonymous()
            .WithSummary("The dated events of a dossier so far")
            .WithDescription($"Whoever holds the dossier code and its tracking secret (header `{TrackingSecretHeader}`). A wrong or missing secret answers 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="idempotencyKey">Optional; makes retries safe (see the operation description).</param>
    private static async Task<Created<DossierReceiptResponse>> Submit(
        SubmitDossierRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext http, IMediator mediator, CancellationToken ct)
    {
        // Anonymous submissions share one scope; authenticated callers get their own in a later issue.
        var result = await mediator.Send(new SubmitDossier(request, idempotencyKey, Scope: "anonymous"), ct);
        if (result.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/dossiers/{result.Receipt.Code}", result.Receipt);
    }

    /// <param name="code">Dossier code from the receipt, e.g. `25-261129-0001`.</param>
    /// <param name="trackingSecret">The secret from the receipt.</param>
    private static async Task<Ok<DossierStatusResponse>> GetStatus(
        string code, [FromHeader(Name = TrackingSecretHeader)] string? trackingSecret, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var language = LanguageNegotiation.From(http.Request);
        LanguageNegotiation.Announce(http.Response, language);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await mediator.Send(new GetDossierStatus(code, trackingSecret, language == Language.En), ct));
    }

    /// <param name="code">Dossier code from the receipt.</param>
    /// <param name="trackingSecret">The secret from the receipt.</param>
    private static async Task<Ok<DossierTimelineResponse>> GetTimeline(
        string code, [FromHeader(Name = TrackingSecretHeader)] string? trackingSecret, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await mediator.Send(new GetDossierTimeline(code, trackingSecret), ct));
    }
}
