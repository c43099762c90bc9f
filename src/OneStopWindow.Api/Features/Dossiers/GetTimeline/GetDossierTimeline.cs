using Mediator;
using OneStopWindow.Api.Features.Dossiers.GetStatus;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Dossiers.GetTimeline;

public sealed record TimelineEventResponse(DateTimeOffset OccurredAt, string Kind, string StatusAfter, string ActorRole, string? Note);

/// <summary>The dated events so far: the processing-control sheet (Form 05) as the citizen sees it.</summary>
public sealed record DossierTimelineResponse(string Code, IReadOnlyList<TimelineEventResponse> Events);

public sealed record GetDossierTimeline(string Code, string? TrackingSecret) : IQuery<DossierTimelineResponse>;

public sealed class GetDossierTimelineHandler(Db db) : IQueryHandler<GetDossierTimeline, DossierTimelineResponse>
{
    public async ValueTask<DossierTimelineResponse> Handle(GetDossierTimeline query, CancellationToken ct)
    {
        var dossier = await TrackedDossier.LoadAsync<Row>(db, Sql.Load, query.Code, query.TrackingSecret, ct);
        var events = await db.QueryAsync<EventRow>(Sql.Events, new { dossier.Id }, ct);
        return new(dossier.Code, events.Select(e => new TimelineEventResponse(e.OccurredAt, e.Kind, e.StatusAfter, e.ActorRole, e.Note)).ToList());
    }

    private sealed record Row : TrackedDossier.IRow
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public string TrackingSecretHash { get; init; } = "";
    }

    private sealed record EventRow
    {
        public DateTimeOffset OccurredAt { get; init; }
        public string Kind { get; init; } = "";
        public string StatusAfter { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public string? Note { get; init; }
    }

    internal static class Sql
    {
        public const string Load = "SELECT id, code, tracking_secret_hash FROM dossier WHERE code = @Code";
        public const string Events = """
            SELECT occurred_at, kind, status_after, actor_role, note FROM dossier_event
            WHERE dossier_id = @Id ORDER BY occurred_at, id
            """;
    }
}
