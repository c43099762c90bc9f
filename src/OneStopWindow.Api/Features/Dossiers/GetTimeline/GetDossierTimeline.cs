using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.GetTimeline;

public sealed record TimelineEventResponse(DateTimeOffset OccurredAt, string Kind, string StatusAfter, string? Actor, string ActorRole, string? Note);

/// <summary>The dated events so far: the processing-control sheet (Form 05). Staff also see who acted.</summary>
public sealed record DossierTimelineResponse(string Code, IReadOnlyList<TimelineEventResponse> Events);

public sealed record GetDossierTimeline(string Code, Caller Caller, string? TrackingSecret) : IQuery<DossierTimelineResponse>;

public sealed class GetDossierTimelineHandler(Db db, Infrastructure.AccessLog.AccessRecorder accessLog) : IQueryHandler<GetDossierTimeline, DossierTimelineResponse>
{
    public async ValueTask<DossierTimelineResponse> Handle(GetDossierTimeline query, CancellationToken ct)
    {
        var (dossier, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct);
        var audience = DossierAccess.AudienceOf(access);
        if (DossierAccess.ReadsSomeoneElses(access)) accessLog.RecordDossier(query.Caller, Infrastructure.AccessLog.AccessKinds.Timeline, dossier.Id);
        var events = await db.QueryAsync<EventRow>(Sql.Events, new { dossier.Id }, ct);
        // Masked by the one audience table: the applicant sees the status story and what they must do, staff everything.
        var shown = new List<TimelineEventResponse>(events.Count);
        foreach (var e in events)
        {
            var (visible, note) = TimelineAudience.View(e.Kind, e.Note, audience);
            if (visible) shown.Add(new(e.OccurredAt, e.Kind, e.StatusAfter, audience.Sees(DossierField.ActorIdentity) ? e.Actor : null, e.ActorRole, note));
        }
        return new(dossier.Code, shown);
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
