using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Dossiers.GetEntitlements;
using OneStopWindow.Api.Features.Dossiers.GetTimeline;
using OneStopWindow.Api.Features.Dossiers.Submit;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.OpenApi;

namespace OneStopWindow.Api.Features.Dossiers;

public static class DossierEndpoints
{
    public const string TrackingSecretHeader = "X-Tracking-Secret";

    public static IEndpointRouteBuilder MapDossiers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/dossiers").WithTags("Dossiers");

        group.MapPost("/", Submit).WithName("SubmitDossier").WithRequestExample(Features.Dossiers.Submit.SubmitExamples.SubmitDossier).AllowAnonymous()
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

        group.MapGet("/{code}", Get).WithName("GetDossier").AllowAnonymous()
            .WithSummary("Track a dossier: status, handling ward, appointment date")
            .WithDescription($"The applicant (citizen token, or the tracking secret in `{TrackingSecretHeader}` — personal data then masked), " +
                $"staff of the handling ward, provincial officers. Anyone else, and a wrong or missing secret, get 404 exactly like an unknown code. " +
                $"The `ETag` header is the version to send as `If-Match` with an action.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{code}/timeline", GetTimeline).WithName("GetDossierTimeline").AllowAnonymous()
            .WithSummary("The dated events of a dossier so far (processing-control sheet)")
            .WithDescription($"Who may read the dossier (see GetDossier). Staff also see who acted.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{code}/entitlements", GetEntitlements).WithName("GetDossierEntitlements").AllowAnonymous()
            .WithSummary("The entitlements a dossier's decision created or changed: status, months, this month's amount, history")
            .WithDescription($"Whoever may read the dossier: its applicant (citizen token), the holder of its tracking secret in " +
                $"`{TrackingSecretHeader}` (never in the URL), staff of its handling ward, provincial officers, integration clients " +
                $"with scope `{Scopes.ReadEntitlements}` within their procedures and wards. A wrong or missing secret and an unknown code are the " +
                "same 404. Each entitlement of the benefit register the decision started (a grant, a change of residence) or changed (adjust, " +
                "stop, transfer, the end of the lower of pension and allowance), whole: no identity number, no group or coefficient behind the " +
                "amount, no reasons, notes, staff names or payment accounts; the beneficiary's name is masked for a secret holder (`N. T. Lan`). " +
                "Empty before a decision and for one-off benefits. Every read is access-logged (a secret holder as `tracking-secret` with the " +
                "dossier's code, never the secret).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="code">Dossier code from the receipt, e.g. `25-261129-0001`.</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<Ok<DossierEntitlementsResponse>> GetEntitlements(
        string code, [FromHeader(Name = TrackingSecretHeader)] string? trackingSecret, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await mediator.Send(new GetDossierEntitlements(code, Caller.From(http.User), trackingSecret), ct));
    }

    /// <param name="idempotencyKey">Optional; makes retries safe (see the operation description).</param>
    private static async Task<Created<DossierReceiptResponse>> Submit(
        SubmitDossierRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var result = await mediator.Send(new SubmitDossier(request, idempotencyKey, Caller.From(http.User),
            LanguageNegotiation.From(http.Request) == Language.En), ct);
        if (result.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/dossiers/{result.Receipt.Code}", result.Receipt);
    }

    /// <param name="code">Dossier code from the receipt, e.g. `25-261129-0001`.</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<Ok<DossierResponse>> Get(
        string code, [FromHeader(Name = TrackingSecretHeader)] string? trackingSecret, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var language = LanguageNegotiation.From(http.Request);
        LanguageNegotiation.Announce(http.Response, language);
        http.Response.Headers.CacheControl = "no-store";
        var dossier = await mediator.Send(new GetDossier(code, Caller.From(http.User), trackingSecret, language == Language.En), ct);
        http.Response.Headers.ETag = $"\"{dossier.Version}\"";
        return TypedResults.Ok(dossier);
    }

    /// <param name="code">Dossier code from the receipt.</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<Ok<DossierTimelineResponse>> GetTimeline(
        string code, [FromHeader(Name = TrackingSecretHeader)] string? trackingSecret, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await mediator.Send(new GetDossierTimeline(code, Caller.From(http.User), trackingSecret), ct));
    }
}
