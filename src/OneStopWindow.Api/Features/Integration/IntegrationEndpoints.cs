using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneStopWindow.Api.Features.Dossiers.Submit;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.OpenApi;

namespace OneStopWindow.Api.Features.Integration;

/// <summary>A dossier filed by another system on a citizen's behalf; the same fields as a citizen's submission plus the client's reference.</summary>
/// <param name="ExternalReference">The client's own id for this filing (1–64 of `A-Z a-z 0-9 . _ : / -`). Sending it again returns the same dossier.</param>
/// <param name="ProcedureCode">Catalogue code, e.g. `BTXH-01`.</param>
/// <param name="Applicant">The person the dossier is for.</param>
/// <param name="Residence">The applicant's residence; it decides the handling ward.</param>
/// <param name="Channel">How the citizen filed with the client: `online` (default), `counter` or `postal`.</param>
/// <param name="ReceivingUnitCode">For `counter`: the ward where it was filed.</param>
/// <param name="FormFields">The procedure's own fields; must satisfy its `formSchema`.</param>
public sealed record IntegrationSubmitDossierRequest(string? ExternalReference, string? ProcedureCode, ApplicantRequest? Applicant,
    ResidenceRequest? Residence, string? Channel, string? ReceivingUnitCode, JsonElement? FormFields);

public static class IntegrationEndpoints
{
    public static IEndpointRouteBuilder MapIntegration(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/integration/dossiers", Submit).WithTags("Integration")
            .RequireAuthorization(Policies.ClientScope(Scopes.SubmitDossiers))
            .WithName("SubmitIntegrationDossier").WithRequestExample(Dossiers.Submit.SubmitExamples.SubmitIntegrationDossier)
            .WithSummary("File a dossier on a citizen's behalf (integration clients)")
            .WithDescription($"""
                API key with scope `{Scopes.SubmitDossiers}`; a procedure or ward restriction of the client is enforced (403).
                Validated exactly like a citizen's submission (400 with field errors). Idempotent per client: the same
                `externalReference` with the same body returns the same receipt (`Idempotent-Replayed: true`), with a different
                body 422. The timeline records the client and its reference. Read it back with `GetDossier` (scope `{Scopes.ReadDossiers}`).
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGet("/api/v1/events", Events).WithTags("Integration")
            .RequireAuthorization(Policies.ClientScope(Scopes.ReadEvents))
            .WithName("GetEvents")
            .WithSummary("The integration event feed: every dossier change and every entitlement change, in a stable total order")
            .WithDescription($"""
                API key with scope `{Scopes.ReadEvents}`; only events of dossiers and entitlements the client may see (its procedures
                and wards; an entitlement's procedure is its benefit, BTXH-01 or BTXH-05). Every timeline change of a dossier is an
                event, and every status change of an entitlement of the benefit register (`EntitlementStarted`, `EntitlementChanged`,
                `EntitlementSuspended`, `EntitlementResumed`, `EntitlementEnded`, `EntitlementTransferred`, with `entitlement` set and
                `dossier` null), and the approval of a ward's monthly payment list (`PaymentListApproved`, with `paymentList` set: id,
                ward, status, version; procedure `PAYMENT-LIST` for a client restricted to procedures), each written in the same
                transaction as the change. Page with `after` = the previous page's `nextCursor`
                (start without it); an event never appears behind a cursor already handed out, so a client that was down catches up
                completely by paging until `hasMore` is false. Events carry identifiers and state only — an entitlement event never the
                group, coefficient, amount or reason; follow `href` for the content: the dossier with scope `{Scopes.ReadDossiers}`, the
                entitlement with scope `{Scopes.ReadEntitlements}`.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<Created<DossierReceiptResponse>> Submit(IntegrationSubmitDossierRequest request, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var submit = new SubmitDossierRequest(request.ProcedureCode, request.Applicant, request.Residence, request.Channel, request.ReceivingUnitCode, request.FormFields);
        var result = await mediator.Send(new SubmitDossier(submit, null, Caller.From(http.User),
            LanguageNegotiation.From(http.Request) == Language.En, request.ExternalReference), ct);
        if (result.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/dossiers/{result.Receipt.Code}", result.Receipt);
    }

    /// <param name="after">`nextCursor` of the previous page; omit to start from the first event.</param>
    /// <param name="limit">Events per page, 1–1000 (default 100).</param>
    private static async Task<Ok<EventPageResponse>> Events(string? after, int? limit, HttpContext http, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetEvents(Caller.From(http.User), after, limit), ct));
}
