using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneStopWindow.Api.Infrastructure.Auth;

namespace OneStopWindow.Api.Features.WardInbox;

public static class WardInboxEndpoints
{
    public static IEndpointRouteBuilder MapWardInbox(this IEndpointRouteBuilder app)
    {
        var atRiskWorkingDays = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Calendar.SlaOptions>>().Value.AtRiskWorkingDays;
        app.MapGet("/api/v1/wards/{wardCode}/dossiers", Ward).WithTags("Work queues").RequireAuthorization(Policies.Staff)
            .WithName("GetWardQueue")
            .WithSummary("A ward's work queue, by appointment date")
            .WithDescription("Ward officers and the chair of that ward; provincial officers and administrators for any ward. " +
                "Another ward's staff: 403; no token: 401. " +
                $"Filters: status, procedure, overdue, atRisk (due within {atRiskWorkingDays} working days, `Sla:AtRiskWorkingDays`; a dossier waiting " +
                "for a supplement is neither), received period, " +
                "text (applicant name, accent-insensitive, or code prefix). Keyset paging: pass `nextAfter` back as `after`. `order=priority`: " +
                OneStopWindow.Domain.Dossiers.Priority.Describe(atRiskWorkingDays))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapGet("/api/v1/me/dossiers", Mine).WithTags("Work queues").RequireAuthorization(Policies.Citizen)
            .WithName("GetMyDossiers")
            .WithSummary("The signed-in citizen's own dossiers")
            .WithDescription("Citizens only (token with an `id_number` claim): the dossiers they filed or are the applicant of.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapGet("/api/v1/escalations", Escalations).WithTags("Work queues").RequireAuthorization(Policies.Provincial)
            .WithName("GetEscalations")
            .WithSummary("Overdue dossiers escalated to the province")
            .WithDescription("Provincial officers and administrators.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    /// <param name="wardCode">Current 5-digit ward code.</param>
    /// <param name="status">One status, e.g. `Received`.</param>
    /// <param name="procedure">Procedure code.</param>
    /// <param name="overdue">Only overdue dossiers.</param>
    /// <param name="atRisk">Only dossiers due within the at-risk window (`Sla:AtRiskWorkingDays` working days).</param>
    /// <param name="receivedFrom">Received on or after (yyyy-MM-dd, Vietnam time).</param>
    /// <param name="receivedTo">Received on or before.</param>
    /// <param name="q">Applicant name (accent-insensitive) or code prefix.</param>
    /// <param name="limit">Page size 1–200 (default 50).</param>
    /// <param name="after">`nextAfter` of the previous page.</param>
    /// <param name="order">`appointment` (default) or `priority` — the documented priority rule, each item with its reasons.</param>
    private static async Task<Ok<QueuePageResponse>> Ward(string wardCode, string? status, string? procedure, bool? overdue, bool? atRisk,
        DateOnly? receivedFrom, DateOnly? receivedTo, string? q, int? limit, string? after, string? order, HttpContext http, IMediator m, CancellationToken ct) =>
        TypedResults.Ok(await m.Send(new GetWardQueue(wardCode, Caller.From(http.User),
            new QueueFilter(status, procedure, overdue, atRisk, receivedFrom, receivedTo, q, limit, after, order)), ct));

    /// <param name="status">One status.</param>
    /// <param name="limit">Page size 1–200 (default 50).</param>
    /// <param name="after">`nextAfter` of the previous page.</param>
    private static async Task<Ok<QueuePageResponse>> Mine(string? status, int? limit, string? after, HttpContext http, IMediator m, CancellationToken ct) =>
        TypedResults.Ok(await m.Send(new GetMyDossiers(Caller.From(http.User), new QueueFilter(status, null, null, null, null, null, null, limit, after)), ct));

    /// <param name="limit">Page size 1–200 (default 50).</param>
    /// <param name="after">`nextAfter` of the previous page.</param>
    /// <param name="order">`appointment` (default) or `priority` — remote and ethnic-minority areas and vulnerable applicants first at equal urgency.</param>
    private static async Task<Ok<QueuePageResponse>> Escalations(int? limit, string? after, string? order, HttpContext http, IMediator m, CancellationToken ct) =>
        TypedResults.Ok(await m.Send(new GetEscalations(Caller.From(http.User), new QueueFilter(null, null, null, null, null, null, null, limit, after, order)), ct));
}
