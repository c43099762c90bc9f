using Mediator;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Integration;

public sealed record ListClients : IQuery<IReadOnlyList<ClientResponse>>;

public sealed class ListClientsHandler(Db db) : IQueryHandler<ListClients, IReadOnlyList<ClientResponse>>
{
    public async ValueTask<IReadOnlyList<ClientResponse>> Handle(ListClients query, CancellationToken ct)
    {
        var ids = await db.QueryAsync<Guid>(Sql.AllIds, null, ct);
        var result = new List<ClientResponse>(ids.Count);
        foreach (var id in ids) result.Add(await ClientStatements.LoadAsync(db, id, ct));
        return result;
    }

    internal static class Sql
    {
        public const string AllIds = "SELECT id FROM api_client ORDER BY created_at, id";
    }
}
