using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Jobs;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Features.Documents;

public static class DocumentEndpoints
{
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddSettings<DocumentOptions>(DocumentOptions.Section);
        services.AddSingleton<IDocumentStore>(sp => new FileSystemDocumentStore(Path.GetFullPath(Path.Combine(
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath, sp.GetRequiredService<IOptions<DocumentOptions>>().Value.StoragePath))));
        services.AddSingleton<UploadRateLimiter>();
        services.AddTransient<SweepDocumentsJob>();
        services.AddSingleton<IWorkerSchedule, DocumentSweepSchedule>();
        return services;
    }

    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/dossiers/{code}/documents").WithTags("Documents").AllowAnonymous();
        // Bearer tokens and tracking secrets travel in headers, never cookies: no cross-site form risk to guard against.
        group.MapPost("/", Upload).WithName("UploadDocument")
            // Multipart: the form's text field; the file itself is chosen in Swagger UI.
            .WithRequestExample(() => new System.Text.Json.Nodes.JsonObject { ["documentCode"] = "application-form" }).DisableAntiforgery()
            .WithSummary("Attach a document (PDF, JPEG, PNG) against the procedure's checklist")
            .WithDescription($"Who may read the dossier (applicant by token or `{DossierEndpoints.TrackingSecretHeader}`, handling-ward staff, provincial officers), " +
                $"while it is open. multipart/form-data with `documentCode` (a checklist code, or `other`) and `file`. The type is checked from the content; " +
                $"the SHA-256 is recorded; the same file twice answers 409. " +
                $"A dossier holds at most `Documents:MaxFilesPerDossier` files (default 20; one more answers 409) " +
                $"and `Documents:MaxBytesPerDossier` bytes (default 50 MB; 413); each file at most `Documents:MaxBytes` (10 MB; 413). " +
                $"An uploader sends at most `Documents:UploadsPerMinute` files a minute " +
                $"(default 10, per dossier with a tracking secret, per account when signed in; 429 with Retry-After). " +
                $"The file name is stored without control or bidi characters, NFC, at most 200 characters.")
            .Accepts<IFormFile>("multipart/form-data")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/", List).WithName("ListDocuments")
            .WithSummary("The dossier's attachments and the required documents still missing")
            .WithDescription($"The applicant (token or `{DossierEndpoints.TrackingSecretHeader}`), staff of the handling ward, provincial officers, " +
                $"and integration clients with the `{Scopes.ReadDocuments}` scope within their procedures and wards " +
                $"(`{Scopes.ReadDossiers}` alone does not open documents). Others: 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{documentId:guid}", Download).WithName("DownloadDocument")
            .WithSummary("Download one attachment")
            .WithDescription($"The applicant (token or `{DossierEndpoints.TrackingSecretHeader}`), staff of the handling ward, provincial officers, " +
                $"and integration clients with the `{Scopes.ReadDocuments}` scope within their procedures and wards " +
                $"(`{Scopes.ReadDossiers}` alone does not open documents). Others: 404.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf", "image/jpeg", "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="code">Dossier code.</param>
    /// <param name="documentCode">Checklist code of the document, or `other`.</param>
    /// <param name="file">The file.</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<Created<DocumentResponse>> Upload(string code, [FromForm] string? documentCode, IFormFile? file,
        [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? trackingSecret, HttpContext http, IMediator m, CancellationToken ct)
    {
        var doc = await m.Send(new UploadDocument(code, Caller.From(http.User), trackingSecret, documentCode, file), ct);
        return TypedResults.Created($"/api/v1/dossiers/{code}/documents/{doc.Id}", doc);
    }

    /// <param name="code">Dossier code.</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<Ok<DocumentListResponse>> List(string code, [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? trackingSecret,
        HttpContext http, IMediator m, CancellationToken ct) =>
        TypedResults.Ok(await m.Send(new ListDocuments(code, Caller.From(http.User), trackingSecret), ct));

    /// <param name="code">Dossier code.</param>
    /// <param name="documentId">Attachment id.</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<FileStreamHttpResult> Download(string code, Guid documentId,
        [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? trackingSecret, HttpContext http, IMediator m, CancellationToken ct)
    {
        var file = await m.Send(new DownloadDocument(code, documentId, Caller.From(http.User), trackingSecret), ct);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }
}
