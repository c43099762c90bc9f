using Mediator;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration;

public sealed record RevokeClientKey(Guid ClientId, string KeyId) : ICommand<ClientResponse>;

public sealed class RevokeClientKeyHandler(Db db, TimeProvider clock) : ICommandHandler<RevokeClientKey, ClientResponse>
{
    public async ValueTask<ClientResponse> Handle(RevokeClientKey cmd, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var changed = await tx.ExecuteAsync(Sql.RevokeKey, new { Id = cmd.KeyId, cmd.ClientId, Now = clock.GetUtcNow() });
        if (changed == 0) throw ProblemException.NotFound($"khóa {cmd.KeyId} của hệ thống này");
        await tx.CommitAsync();
        return await ClientStatements.LoadAsync(db, cmd.ClientId, ct);
    }

    internal static class Sql
    {
        public const string RevokeKey = "UPDATE api_key SET revoked_at = @Now WHERE id = @Id AND client_id = @ClientId AND revoked_at IS NULL";
    }
}
