using Mediator;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Integration;

public sealed record RevokeClient(Guid ClientId) : ICommand<ClientResponse>;

public sealed class RevokeClientHandler(Db db, TimeProvider clock) : ICommandHandler<RevokeClient, ClientResponse>
{
    public async ValueTask<ClientResponse> Handle(RevokeClient cmd, CancellationToken ct)
    {
        await ClientStatements.LoadAsync(db, cmd.ClientId, ct);
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.Revoke, new { Id = cmd.ClientId, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
        return await ClientStatements.LoadAsync(db, cmd.ClientId, ct);
    }

    internal static class Sql
    {
        public const string Revoke = "UPDATE api_client SET revoked_at = @Now WHERE id = @Id AND revoked_at IS NULL";
    }
}
