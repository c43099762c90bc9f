using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Notifications;

public sealed record NotificationResponse(DateTimeOffset CreatedAt, string Kind, string Channel, string Audience, string Language,
    string Subject, string Body, string Status, DateTimeOffset? SentAt);

public sealed record ListNotifications(string Code, Caller Caller, string? TrackingSecret) : IQuery<IReadOnlyList<NotificationResponse>>;

public sealed class ListNotificationsHandler(Db db) : IQueryHandler<ListNotifications, IReadOnlyList<NotificationResponse>>
{
    public async ValueTask<IReadOnlyList<NotificationResponse>> Handle(ListNotifications query, CancellationToken ct)
    {
        var (row, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct);
        // The applicant's inbox is theirs and staff's: no integration scope reaches it.
        if (access == AccessKind.Client) throw Infrastructure.Problems.ProblemException.NotFound($"hồ sơ {query.Code} (hoặc bạn không có quyền xem)");
        // Notifications written for staff (the at-risk warning) reach only the staff audience.
        var staff = DossierAccess.AudienceOf(access) == Domain.Dossiers.Audience.Staff;
        var rows = await db.QueryAsync<Row>(Sql.List, new { row.Id }, ct);
        return rows.Where(r => staff || r.Audience == "citizen")
            .Select(r => new NotificationResponse(r.CreatedAt, r.Kind, r.Channel, r.Audience, r.Language, r.Subject, r.Body, r.Status, r.SentAt))
            .ToList();
    }

    private sealed record Row
    {
        public DateTimeOffset CreatedAt { get; init; }
        public string Kind { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Audience { get; init; } = "";
        public string Language { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Body { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset? SentAt { get; init; }
    }

    internal static class Sql
    {
        public const string List = """
            SELECT created_at, kind, channel, audience, language, subject, body, status, sent_at
            FROM notification WHERE dossier_id = @Id ORDER BY created_at, id
            """;
    }
}

public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/dossiers/{code}/notifications", List).WithTags("Dossiers").AllowAnonymous()
            .WithName("ListDossierNotifications")
            .WithSummary("The dossier's notifications (the in-app inbox)")
            .WithDescription($"The applicant (citizen token or tracking secret in `{DossierEndpoints.TrackingSecretHeader}`) sees the messages sent to them; " +
                $"staff of the handling ward and provincial officers also see staff warnings. No integration scope opens it; anyone else: 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="code">Dossier code.</param>
    /// <param name="trackingSecret">The secret from the receipt, for callers without a token.</param>
    private static async Task<Ok<IReadOnlyList<NotificationResponse>>> List(string code,
        [FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? trackingSecret, HttpContext http, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListNotifications(code, Caller.From(http.User), trackingSecret), ct));
}
