using Mediator;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Entitlements;

public sealed record GetClientEntitlement(Guid Id, Caller Caller) : IQuery<EntitlementSummaryResponse>;

/// <summary>
/// The address an entitlement event's <c>href</c> names: an integration client with <see cref="Scopes.ReadEntitlements"/>
/// reads the entitlement of a benefit and ward it may see (else 404, as for an id that does not exist), in the view built by
/// <see cref="EntitlementSummaries"/> — no group, coefficient, reason, note, staff member or payment account. Access-logged.
/// </summary>
public sealed class GetClientEntitlementHandler(Db db, EntitlementSummaries summaries, AccessRecorder accessLog)
    : IQueryHandler<GetClientEntitlement, EntitlementSummaryResponse>
{
    public async ValueTask<EntitlementSummaryResponse> Handle(GetClientEntitlement query, CancellationToken ct)
    {
        var row = await EntitlementStore.LoadAsync(db, query.Id, ct);
        if (row is null || query.Caller.Client is not { } client || !EntitlementSummaries.ClientSees(client, row)) throw EntitlementViews.NotFound(query.Id);
        accessLog.Record(query.Caller, AccessKinds.Entitlement, "entitlement", [row.Id]);
        return await summaries.ViewAsync(row, Audience.Client, ct);
    }
}
