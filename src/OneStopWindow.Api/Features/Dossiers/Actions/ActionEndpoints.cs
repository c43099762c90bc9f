using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <summary>
/// The lifecycle, one endpoint per action. Each takes <c>If-Match</c> with the dossier's ETag (428 when
/// missing, 412 when stale) and answers the dossier with its new ETag. Who may call each is the transition
/// table (<see cref="DossierRules.Table"/>), printed in each description.
/// </summary>
public static class ActionEndpoints
{
    public static IEndpointRouteBuilder MapDossierActions(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/v1/dossiers/{code}").WithTags("Dossier lifecycle").RequireAuthorization(Policies.Staff);
        var applicant = app.MapGroup("/api/v1/dossiers/{code}").WithTags("Dossier lifecycle").AllowAnonymous();

        Describe(staff.MapPost("/claim", (string code, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new ClaimDossier(code, Caller.From(http.User), ifMatch, En(http)), ct))), "ClaimDossier", "Take the dossier for verification", DossierAction.Claim);
        Describe(staff.MapPost("/reception-refusal", (string code, RefuseReceptionRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
                HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new RefuseReception(code, Caller.From(http.User), ifMatch, En(http), body), ct))),
            "RefuseReception", "Refuse to receive the dossier (Form 03), with the reason and a written explanation", DossierAction.RefuseReception);
        Describe(staff.MapPost("/assignment", (string code, AssignOfficerRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new AssignOfficer(code, Caller.From(http.User), ifMatch, En(http), body), ct))), "AssignDossier", "Assign the dossier to an officer", DossierAction.Assign);
        Describe(staff.MapPost("/verification", (string code, RecordVerificationRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new RecordVerification(code, Caller.From(http.User), ifMatch, En(http), body), ct))),
            "RecordVerification", "Record verification findings", DossierAction.RecordVerification);
        Describe(staff.MapPost("/supplement-request", (string code, RequestSupplementRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
                HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new RequestSupplement(code, Caller.From(http.User), ifMatch, En(http), body), ct))),
            "RequestSupplement", "Request a supplement (Form 02), pausing the clock", DossierAction.RequestSupplement);
        Describe(staff.MapPost("/posting", (string code, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new StartPosting(code, Caller.From(http.User), ifMatch, En(http)), ct))), "StartPosting", "Start the public posting", DossierAction.StartPosting);
        Describe(staff.MapPost("/forwarding", (string code, ForwardRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new ForwardToChair(code, Caller.From(http.User), ifMatch, En(http), body), ct))),
            "ForwardToChair", "Forward the dossier to the ward chair", DossierAction.ForwardToChair);
        Describe(staff.MapPost("/approval", (string code, DecisionRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new Decide(code, Caller.From(http.User), ifMatch, En(http), true, body), ct))),
            "ApproveDossier", "Approve: decision with number, legal basis and the benefit amount", DossierAction.Approve);
        Describe(staff.MapPost("/rejection", (string code, DecisionRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new Decide(code, Caller.From(http.User), ifMatch, En(http), false, body), ct))), "RejectDossier", "Reject with reasons (the written reply)", DossierAction.Reject);
        Describe(staff.MapPost("/result-return", (string code, ReturnResultRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new ReturnResult(code, Caller.From(http.User), ifMatch, En(http), body), ct))), "ReturnResult", "Record that the result was handed over", DossierAction.ReturnResult);
        Describe(staff.MapPost("/delay-notice", (string code, DelayNoticeRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m,
                CancellationToken ct) =>
            Send(http, m.Send(new RecordDelayNotice(code, Caller.From(http.User), ifMatch, En(http), body), ct))),
            "RecordDelayNotice", "Send the apology and the one new appointment date (Form 04), before the deadline", DossierAction.RecordDelayNotice,
            "No later than the working day before the appointment date (Vietnam time); on that date or later, or once a date was moved, 409 "
            + "(`delay-notice-too-late`, `delay-notice-already-given`). The new date must be a working day after the current one (400). "
            + "The applicant gets the letter on the timeline (`DelayNoticeIssued`) and the notification `delay-notice`; the dossier shows "
            + "`delayNotice` with the reason and both dates.");
        Describe(staff.MapPost("/ward-assignment", (string code, AssignWardRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new AssignWard(code, Caller.From(http.User), ifMatch, En(http), body), ct))),
            "AssignWard", "Settle an uncertain residence: send the dossier to one ward", DossierAction.AssignWard);

        Describe(applicant.MapPost("/supplement", (string code, SubmitSupplementRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
                [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? secret, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new SubmitSupplement(code, Caller.From(http.User), secret, ifMatch, En(http), body), ct))),
            "SubmitSupplement", "Answer the supplement request, resuming the clock", DossierAction.SubmitSupplement);
        Describe(applicant.MapPost("/withdrawal", (string code, WithdrawRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
                [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? secret, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new Withdraw(code, Caller.From(http.User), secret, ifMatch, En(http), body), ct))), "WithdrawDossier", "Withdraw the dossier before a decision", DossierAction.Withdraw);
        Describe(applicant.MapPost("/misuse-report", (string code, ReportMisuseRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
                HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new ReportMisuse(code, Caller.From(http.User), ifMatch, En(http), body), ct))), "ReportDossierMisuse",
            "Report a dossier filed under your number by someone else (signed-in applicant only)", DossierAction.ReportMisuse);
        Describe(applicant.MapPost("/rating", (string code, RatingRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
                [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? secret, HttpContext http, IMediator m, CancellationToken ct) =>
            Send(http, m.Send(new Rate(code, Caller.From(http.User), secret, ifMatch, En(http), body), ct))), "RateDossier", "Rate the service after completion", DossierAction.Rate);

        applicant.MapPost("/objections", async Task<Created<ObjectionResponse>> (string code, ObjectionRequest body, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Created($"/api/v1/dossiers/{code}/timeline", await m.Send(new FileObjection(code, Caller.From(http.User), body,
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), ct)))
            .WithName("FileObjection").WithRequestExample(ActionExamples.ByOperation["FileObjection"])
            .WithSummary("Object to a publicly posted dossier")
            .WithDescription($"Anyone, signed in or not, while the dossier is publicly posted; otherwise 404. The objection lands on the dossier's timeline. " +
                $"At most {new ObjectionOptions().PerDossierPerDay} per dossier and {new ObjectionOptions().PerAddressPerDay} per sender address in 24 hours " +
                $"(Objections:*); beyond: 429 with Retry-After.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static bool En(HttpContext http) => LanguageNegotiation.From(http.Request) == Language.En;

    private static async Task<Ok<DossierResponse>> Send(HttpContext http, ValueTask<DossierResponse> action)
    {
        var dossier = await action;
        http.Response.Headers.ETag = $"\"{dossier.Version}\"";
        return TypedResults.Ok(dossier);
    }

    private static void Describe(RouteHandlerBuilder route, string name, string summary, DossierAction action, string? more = null)
    {
        var t = DossierRules.For(action);
        if (ActionExamples.ByOperation.TryGetValue(name, out var example)) route.WithRequestExample(example);
        route.WithName(name).WithSummary(summary)
            .WithDescription($"""
                Who: {string.Join(", ", t.Roles.Select(r => r == Roles.Citizen ? "the applicant (citizen token or tracking secret)" : r))}; ward staff only on their own ward's dossiers.
                From status: {string.Join(", ", t.From)}{(t.To is { } to ? $" → {to}" : " (status unchanged)")}. {t.Rule}{Competence(t)}
                Send `If-Match` with the ETag of the last read: missing → 428, stale → 412 (someone acted first).{(more is null ? "" : "\n" + more)}
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        if (Competences.DecidingActions.Contains(t.Action)) route.ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>The dated competences of a deciding row, per procedure, and what happens once one has ended (422 competence-expired).</summary>
    private static string Competence(Domain.Transitions.Transition<DossierAction, DossierStatus> t) => !Competences.DecidingActions.Contains(t.Action) ? "" :
        "\nCompetence: " + string.Join("; ", Competences.Deciding.Select(c => $"{string.Join(", ", c.Roles)} under {c.Source} from {c.ValidFrom:yyyy-MM-dd}"
            + (c.ValidTo is { } u ? $" until {u:yyyy-MM-dd} (exclusive)" : "") + $" for {string.Join(", ", c.Procedures.Order(StringComparer.Ordinal))}")) +
        ". Once a procedure's competence has ended with no successor, the role gets 422 `competence-expired` naming the text (`errors.source`) and its end " +
        "(`errors.validTo`); other procedures are decided under texts without an end.";
}
