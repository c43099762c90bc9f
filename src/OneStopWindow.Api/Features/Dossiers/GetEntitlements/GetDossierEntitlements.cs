using Mediator;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Dossiers.GetEntitlements;

/// <summary>The entitlements a dossier's decision created or changed (none before a decision, or for a one-off benefit).</summary>
public sealed record DossierEntitlementsResponse(string Code, IReadOnlyList<EntitlementSummaryResponse> Entitlements);

public sealed record GetDossierEntitlements(string Code, Caller Caller, string? TrackingSecret) : IQuery<DossierEntitlementsResponse>;

/// <summary>
/// Whoever may read the dossier (<see cref="DossierAccess"/>: its applicant, the holder of its tracking secret, staff of its
/// ward, provincial officers, a client with <see cref="Scopes.ReadEntitlements"/>) reads the entitlements its decision created
/// (start, change of residence) or changed (adjust, stop, transfer, the end of the lower benefit) — the whole entitlement with
/// its history, built by <see cref="EntitlementSummaries"/>. A wrong secret and an unknown code are the same 404. Every read
/// is access-logged, a secret holder's as <c>tracking-secret</c> with the dossier's code (never the secret).
/// </summary>
public sealed class GetDossierEntitlementsHandler(Db db, EntitlementSummaries summaries, AccessRecorder accessLog)
    : IQueryHandler<GetDossierEntitlements, DossierEntitlementsResponse>
{
    public const string SecretHolderRole = "tracking-secret";

    public async ValueTask<DossierEntitlementsResponse> Handle(GetDossierEntitlements query, CancellationToken ct)
    {
        var (dossier, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct, Scopes.ReadEntitlements);
        var audience = DossierAccess.AudienceOf(access);
        // Found through the person's index: every change a decision makes is a history row naming the dossier.
        var rows = await db.QueryAsync<EntitlementRow>(dossier.PersonIdHash is null ? Sql.WithoutPerson : Sql.OfPerson,
            new { IdHash = dossier.PersonIdHash, DossierId = dossier.Id }, ct);
        IReadOnlyList<EntitlementRow> seen = query.Caller.Client is { } client ? rows.Where(r => EntitlementSummaries.ClientSees(client, r)).ToList() : rows;
        if (seen.Count > 0) accessLog.Record(Reader(query.Caller, access, dossier.Code), AccessKinds.EntitlementByDossier, "entitlement", seen.Select(r => r.Id));
        var items = new List<EntitlementSummaryResponse>(seen.Count);
        foreach (var row in seen) items.Add(await summaries.ViewAsync(row, audience, ct));
        return new(dossier.Code, items);
    }

    /// <summary>A secret holder is nobody we know: the log says which dossier's secret opened it.</summary>
    private static Caller Reader(Caller caller, AccessKind access, string code) =>
        access == AccessKind.TrackingSecret ? new($"{SecretHolderRole}:{code}", SecretHolderRole, null, null, SecretHolderRole) : caller;

    internal static class Sql
    {
        public const string OfPerson = EntitlementStore.Sql.Columns + """

            WHERE person_id_hash = @IdHash
              AND (dossier_id = @DossierId
                   OR EXISTS (SELECT 1 FROM entitlement_event v WHERE v.entitlement_id = entitlement.id AND v.dossier_id = @DossierId))
            ORDER BY start_month, id
            """;
        // A beneficiary without an identity number: only the entitlement the dossier started can be theirs (no later decision finds it).
        public const string WithoutPerson = EntitlementStore.Sql.Columns + """

            WHERE person_id_hash IS NULL AND dossier_id = @DossierId
            ORDER BY start_month, id
            """;
    }
}
