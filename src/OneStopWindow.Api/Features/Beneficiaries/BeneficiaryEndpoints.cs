using Mediator;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.OpenApi;

namespace OneStopWindow.Api.Features.Beneficiaries;

public static class BeneficiaryEndpoints
{
    public static IEndpointRouteBuilder MapBeneficiaries(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Beneficiary import").RequireAuthorization(Policies.Provincial)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        imports.MapPost("/", async ([FromQuery] string? sourceSystem, [FromQuery] string? fileName, HttpContext http, IMediator m,
                Microsoft.Extensions.Options.IOptions<ImportOptions> options, CancellationToken ct) =>
            {
                // Lists are far larger than any other request: this endpoint alone lifts the server's body limit to its own.
                if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                    limit.MaxRequestBodySize = options.Value.MaxBytes;
                var operation = await m.Send(new StartImport(http.Request.Body, http.Request.ContentType, sourceSystem, fileName, Caller.From(http.User)), ct);
                return TypedResults.Accepted($"/api/v1/imports/{operation.Id}", operation);
            })
            // "*/*" lets every request reach authorization (routing would answer 415 before it, telling a stranger the
            // endpoint's formats); the handler refuses other formats with 415. The document lists the two real ones.
            .Accepts<IReadOnlyList<BeneficiaryRecord>>("application/json", "text/csv", RequestExamples.AnyContentType)
            .WithName("StartBeneficiaryImport").WithRequestExample(() => System.Text.Json.Nodes.JsonNode.Parse(ImportExamples.SampleBeneficiaries)!)
            .WithSummary("Upload a former province's beneficiary list (CSV or JSON); processed in the background")
            .WithDescription("""
                Provincial officers and administrators. The body is the list itself — `text/csv` (header row, columns as in
                api-specs/beneficiary-import.md) or `application/json` (an array of records) — streamed to disk, never held
                in memory. Answers 202 at once with the operation; follow `GET /api/v1/imports/{id}` for progress and counts and
                `.../rows` for the per-row report. Each record's old commune code is mapped through the official succession data:
                one successor → mapped; split, unknown code, conflicting identity or duplicate person → the re-verification queue,
                with the entitlement continuing (a duplicate is held so it is not paid twice). Re-importing the same records
                changes nothing; an import interrupted by a restart resumes after its last committed batch.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        imports.MapGet("/{importId:guid}", async (Guid importId, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetImport(importId), ct)))
            .WithName("GetBeneficiaryImport")
            .WithSummary("An import: status, progress and counts")
            .WithDescription("Provincial officers and administrators. `status`: queued, running, completed, failed (the file became unreadable; what was applied stays).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapGet("/{importId:guid}/rows", async (Guid importId, string? outcome, int? after, int? limit, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetImportRows(importId, outcome, after, limit), ct)))
            .WithName("GetBeneficiaryImportRows")
            .WithSummary("The per-row report of an import")
            .WithDescription("Provincial officers and administrators. Filter by `outcome`; page with `after` = `nextAfter`.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var queue = app.MapGroup("/api/v1/reverifications").WithTags("Re-verification").RequireAuthorization(Policies.Staff)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        queue.MapGet("/", async (string? ward, string? status, int? limit, string? after, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetReverifications(Caller.From(http.User), ward, status, limit, after), ct)))
            .WithName("GetReverifications")
            .WithSummary("The re-verification queue: what is uncertain and why, with the candidate wards")
            .WithDescription("Ward staff: their ward's queue. " +
                "Provincial officers: any (`ward=province` for the provincial queue, where split and unknown old communes go). " +
                "Imported beneficiaries and dossiers routed to re-verification at intake alike; oldest first.")
            .ProducesValidationProblem();

        queue.MapPost("/{id:guid}/resolution", async (Guid id, ResolveReverificationRequest request, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ResolveReverification(id, request, Caller.From(http.User)), ct)))
            .WithName("ResolveReverification").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject
            {
                ["action"] = "confirm-ward",
                ["wardCode"] = "04828",
                ["addressDetail"] = null,
                ["mergeInto"] = null,
                ["note"] = "Đối chiếu CSDL cư trú và xác nhận của trưởng xóm: xóm Đồng Phú thuộc phần xã Vầy Nưa cũ sáp nhập vào phường Thống Nhất.",
            })
            .WithSummary("Settle an entry: confirm the ward, correct the address, or merge with the same person's other record")
            .WithDescription("Staff of the entry's ward queue, or provincial officers (the provincial queue). " +
                "Recorded on the beneficiary's (or dossier's) timeline with who, when and why. " +
                "A dossier is handed to its ward through its own ward-assignment action.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
