using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Dossiers.GetAccessLog;

/// <param name="ReaderRole">The reader's role (ward-officer, ward-chair, provincial-officer, client…).</param>
/// <param name="ReaderUnit">The reader's ward, the province, or the integration client's name.</param>
/// <param name="ReaderId">The staff member or client (staff of the dossier's ward and provincial officers only; the applicant sees role and unit).</param>
public sealed record AccessEntryResponse(DateTimeOffset ReadAt, string Kind, string ReaderRole, string? ReaderUnit, string? ReaderId);

public sealed record AccessLogResponse(string Code, IReadOnlyList<AccessEntryResponse> Entries);

public sealed record GetAccessLog(string Code, Caller Caller, string? TrackingSecret) : Mediator.IQuery<AccessLogResponse>;

public sealed class GetAccessLogHandler(Db db) : Mediator.IQueryHandler<GetAccessLog, AccessLogResponse>
{
    public async ValueTask<AccessLogResponse> Handle(GetAccessLog query, CancellationToken ct)
    {
        var (dossier, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct);
        var audience = DossierAccess.AudienceOf(access);
        if (audience == Domain.Dossiers.Audience.Client) throw Infrastructure.Problems.ProblemException.NotFound($"nhật ký truy cập hồ sơ {query.Code}");
        var staff = Domain.Dossiers.FieldAudiences.Sees(audience, Domain.Dossiers.DossierField.ActorIdentity);
        var rows = await db.QueryAsync<Row>(db.Dialect.Limit(Sql.ForSubject), new { SubjectId = dossier.Id, Limit = 1000 }, ct);
        return new(dossier.Code, rows.Select(r => new AccessEntryResponse(r.ReadAt, r.Kind, r.ReaderRole, r.ReaderUnit, staff ? r.ReaderId : null)).ToList());
    }

    private sealed record Row
    {
        public DateTimeOffset ReadAt { get; init; }
        public string Kind { get; init; } = "";
        public string ReaderRole { get; init; } = "";
        public string? ReaderUnit { get; init; }
        public string ReaderId { get; init; } = "";
    }

    internal static class Sql
    {
        public const string ForSubject = """
            SELECT read_at, kind, reader_role, reader_unit, reader_id FROM access_log
            WHERE subject_id = @SubjectId ORDER BY read_at DESC
            """;
    }
}

public static class AccessLogEndpoints
{
    public static IEndpointRouteBuilder MapAccessLog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/dossiers/{code}/access-log", async (string code,
                [Microsoft.AspNetCore.Mvc.FromHeader(Name = DossierEndpoints.TrackingSecretHeader)] string? trackingSecret,
                HttpContext http, Mediator.IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetAccessLog(code, Caller.From(http.User), trackingSecret), ct)))
            .WithTags("Dossiers").AllowAnonymous()
            .WithName("GetDossierAccessLog")
            .WithSummary("Who read this dossier's personal data, and when (newest first, up to 1000)")
            .WithDescription($"The applicant (citizen token, or the tracking secret in `{DossierEndpoints.TrackingSecretHeader}`) " +
                $"sees the role and unit of each reader and the time — not the staff member's name; " +
                $"staff of the handling ward and provincial officers also see who. Recorded: full dossier views, timelines with actors, " +
                $"document downloads and queue pages by staff and integration clients; entries are kept {new AccessLogOptions().RetentionMonths} months " +
                $"(AccessLog:RetentionMonths) and may appear up to a second after the read.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/v1/wards/{wardCode}/access-log", async (string wardCode, string? cursor, int? limit, HttpContext http, Mediator.IMediator m,
                CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetWardAccessLog(wardCode, Caller.From(http.User), cursor, limit ?? 100), ct)))
            .WithTags("Work queues").RequireAuthorization(Policies.WardStaff)
            .WithName("GetWardAccessLog")
            .WithSummary("Who read the personal data of this ward's dossiers and beneficiary records (newest first, paged)")
            .WithDescription($"Staff of the ward and provincial officers (others: 404). Each entry names the reader (id, role, unit), " +
                $"what was read (a dossier code or a beneficiary record id, never the data) and when. " +
                $"`limit` 1–{GetWardAccessLog.MaxLimit} (default 100); pass `next` back as `cursor` for older entries.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
