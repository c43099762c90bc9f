using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Dossiers.GetTimeline;

public sealed record TimelineEventResponse(DateTimeOffset OccurredAt, string Kind, string StatusAfter, string? Actor, string ActorRole, string? Note);

/// <summary>The dated events so far: the processing-control sheet (Form 05). Staff also see who acted.</summary>
public sealed record DossierTimelineResponse(string Code, IReadOnlyList<TimelineEventResponse> Events);

public sealed record GetDossierTimeline(string Code, Caller Caller, string? TrackingSecret) : IQuery<DossierTimelineResponse>;

public sealed class GetDossierTimelineHandler(Db db) : IQueryHandler<GetDossierTimeline, DossierTimelineResponse>
{
    public async ValueTask<DossierTimelineResponse> Handle(GetDossierTimeline query, CancellationToken ct)
    {
        var (dossier, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct);
        var staff = access is AccessKind.WardStaff or AccessKind.Provincial;
        var events = await db.QueryAsync<EventRow>(Sql.Events, new { dossier.Id }, ct);
        // A system step's "skipped" note is for staff: the applicant's timeline shows what happened, not what did not.
        return new(dossier.Code, events.Where(e => staff || e.Kind != DossierTransitions.StepSkipped)
            .Select(e => new TimelineEventResponse(e.OccurredAt, e.Kind, e.StatusAfter, staff ? e.Actor : null, e.ActorRole, e.Note)).ToList());
    }

    private sealed record EventRow
    {
        public DateTimeOffset OccurredAt { get; init; }
        public string Kind { get; init; } = "";
        public string StatusAfter { get; init; } = "";
        public string Actor { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public string? Note { get; init; }
    }

    internal static class Sql
    {
        public const string Events = """
            SELECT occurred_at, kind, status_after, actor, actor_role, note FROM dossier_event
            WHERE dossier_id = @Id ORDER BY occurred_at, id
            """;
    }
}
