using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration;

/// <param name="OverlapHours">How long the client's current keys stay valid beside the new one (0–720, default 24).</param>
public sealed record RotateClientKeyRequest(int? OverlapHours);

public sealed record RotateClientKey(Guid ClientId, RotateClientKeyRequest Request) : ICommand<ClientKeyIssuedResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Request.OverlapHours is < 0 or > 720) yield return new("overlapHours", "Thời gian chồng lấn từ 0 đến 720 giờ.");
    }
}

public sealed class RotateClientKeyHandler(Db db, TimeProvider clock) : ICommandHandler<RotateClientKey, ClientKeyIssuedResponse>
{
    /// <summary>A new key; the client's current keys stay valid for the overlap so it can switch without downtime.</summary>
    public async ValueTask<ClientKeyIssuedResponse> Handle(RotateClientKey cmd, CancellationToken ct)
    {
        var client = await ClientStatements.LoadAsync(db, cmd.ClientId, ct);
        if (client.RevokedAt is not null) throw ProblemException.Conflict("client-revoked", "Hệ thống này đã bị thu hồi quyền truy cập");
        var now = clock.GetUtcNow();
        var (keyId, key) = ApiKey.Create();
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.ExpireCurrentKeys, new { ClientId = cmd.ClientId, Now = now, Until = now.AddHours(cmd.Request.OverlapHours ?? 24) });
        await tx.ExecuteAsync(ClientStatements.Sql.InsertKey, new { Id = keyId, ClientId = cmd.ClientId, Hash = ApiKey.Hash(key), Now = now });
        await tx.CommitAsync();
        return new(await ClientStatements.LoadAsync(db, cmd.ClientId, ct), keyId, key);
    }

    internal static class Sql
    {
        public const string ExpireCurrentKeys = """
            UPDATE api_key SET expires_at = @Until
            WHERE client_id = @ClientId AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @Until)
            """;
    }
}
