using Mediator;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Features.Papers;

public static class PaperEndpoints
{
    /// <summary>Seconds a client waits before asking again for a paper still being rendered.</summary>
    public const int RetryAfterSeconds = 1;

    public static IServiceCollection AddPapers(this IServiceCollection services)
    {
        PaperFonts.Register();
        services.AddSettings<PapersOptions>(PapersOptions.Section);
        services.AddSingleton<PaperCertificate>();
        services.AddSingleton<StepKind, RenderPaperStep>();
        return services;
    }

    /// <summary>Loads the signing certificate before the node serves or works: a missing, expired or (outside Development) self-signed one stops the start.</summary>
    public static void RequirePaperCertificate(this IServiceProvider services) => _ = services.GetRequiredService<PaperCertificate>();

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

        app.MapGet(PaperVerifyCodes.Path + "{code}", Verify).WithTags("Papers").WithName("VerifyPaper").AllowAnonymous()
            .WithSummary("Check a paper by the code in its QR: what it is, who issued it, its hash and signature, whether it still stands")
            .WithDescription("Public, no account: the code printed in the paper's QR (128 random bits) is the capability. A page for a phone's browser, " +
                "or JSON with `Accept: application/json`. The person is named masked only (`N. T. Lan`); no identity number, group or reason. " +
                "A decision says whether it still stands (`replaced` by a later decision, `ended`, `transferred`, `suspended`). The receipt's code " +
                "also shows the dossier's progress, so its holder can follow it without an account. Unknown or malformed codes: 404.")
            .Produces<PaperVerificationResponse>(StatusCodes.Status200OK, "application/json", "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="code">The 22-character code from the paper's QR.</param>
    private static async Task<IResult> Verify(string code, HttpContext http, IMediator m, CancellationToken ct)
    {
        var answer = await m.Send(new VerifyPaper(code), ct);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Vary = "Accept";
        if (WantsJson(http.Request)) return TypedResults.Ok(answer);
        // Set before the edge's own policy (which only adds a header not there yet): inline style, nothing else.
        http.Response.Headers.ContentSecurityPolicy = VerificationPage.ContentSecurityPolicy;
        return TypedResults.Content(VerificationPage.Render(answer), "text/html; charset=utf-8");
    }

    /// <summary>JSON when the caller asks for it (application/json or a +json type) at least as much as for HTML; a browser gets the page.</summary>
    private static bool WantsJson(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(Func<string, bool> match) => accept.Where(a => match(a.MediaType.Value ?? "")).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = Quality(t => t.Equals("application/json", StringComparison.OrdinalIgnoreCase) || t.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        return json > 0 && json >= Quality(t => t.Equals("text/html", StringComparison.OrdinalIgnoreCase));
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
