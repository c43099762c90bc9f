using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration;

public sealed record ApiKeyResponse(string Id, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

public sealed record ClientResponse(Guid Id, string Name, IReadOnlyList<string> Scopes, IReadOnlyList<string>? Procedures,
    IReadOnlyList<string>? Wards, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, IReadOnlyList<ApiKeyResponse> Keys);

/// <summary>The new key is in <see cref="ApiKey"/> — shown here once, stored only as a hash.</summary>
public sealed record ClientKeyIssuedResponse(ClientResponse Client, string KeyId, string ApiKey);

internal static class ClientStatements
{
    internal static async Task<ClientResponse> LoadAsync(Db db, Guid id, CancellationToken ct)
    {
        var row = await db.SingleOrDefaultAsync<ClientRow>(Sql.Load, new { Id = id }, ct) ?? throw ProblemException.NotFound($"hệ thống tích hợp {id}");
        var keys = await db.QueryAsync<ApiKeyResponse>(Sql.Keys, new { Id = id }, ct);
        return new(row.Id, row.Name, row.Scopes.Split(' '), ClientAccess.ParseList(row.Procedures)?.Order().ToList(),
            ClientAccess.ParseList(row.Wards)?.Order().ToList(), row.CreatedAt, row.RevokedAt, keys);
    }

    private sealed record ClientRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Scopes { get; init; } = "";
        public string? Procedures { get; init; }
        public string? Wards { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
    }

    internal static class Sql
    {
        public const string InsertKey = """
            INSERT INTO api_key (id, client_id, key_hash, created_at, expires_at, revoked_at) VALUES (@Id, @ClientId, @Hash, @Now, NULL, NULL)
            """;
        public const string Load = "SELECT id, name, scopes, procedures, wards, created_at, revoked_at FROM api_client WHERE id = @Id";
        public const string Keys = "SELECT id, created_at, expires_at, revoked_at FROM api_key WHERE client_id = @Id ORDER BY created_at";
    }
}
