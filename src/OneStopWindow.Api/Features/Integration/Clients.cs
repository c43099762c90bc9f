using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration;

/// <param name="Name">Who the client is, e.g. "Cổng Dịch vụ công quốc gia — connector".</param>
/// <param name="Scopes">Any of `dossiers:submit`, `dossiers:read`, `events:read`, `webhooks:manage`.</param>
/// <param name="Procedures">Optional: only these procedure codes. Omitted or empty: all procedures.</param>
/// <param name="Wards">Optional: only dossiers handled by these current ward codes. Omitted or empty: the whole province.</param>
public sealed record RegisterClientRequest(string? Name, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? Procedures, IReadOnlyList<string>? Wards);

/// <param name="OverlapHours">How long the client's current keys stay valid beside the new one (0–720, default 24).</param>
public sealed record RotateClientKeyRequest(int? OverlapHours);

public sealed record ApiKeyResponse(string Id, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

public sealed record ClientResponse(Guid Id, string Name, IReadOnlyList<string> Scopes, IReadOnlyList<string>? Procedures,
    IReadOnlyList<string>? Wards, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, IReadOnlyList<ApiKeyResponse> Keys);

/// <summary>The new key is in <see cref="ApiKey"/> — shown here once, stored only as a hash.</summary>
public sealed record ClientKeyIssuedResponse(ClientResponse Client, string KeyId, string ApiKey);

public sealed record RegisterClient(RegisterClientRequest Request, Caller Caller) : ICommand<ClientKeyIssuedResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        var r = Request;
        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Trim().Length > 200 || r.Name.Any(char.IsControl))
            yield return new("name", "Tên hệ thống gồm 1–200 ký tự.");
        if (r.Scopes is not { Count: > 0 } || r.Scopes.Any(s => !Infrastructure.Auth.Scopes.All.Contains(s)))
            yield return new("scopes", $"Chọn ít nhất một phạm vi trong: {string.Join(", ", Infrastructure.Auth.Scopes.All)}.");
        if (r.Procedures is { Count: > 100 } || r.Procedures?.Any(p => p is not { Length: > 0 and <= 32 }) == true)
            yield return new("procedures", "Danh sách mã thủ tục không hợp lệ.");
        if (r.Wards is { Count: > 200 } || r.Wards?.Any(w => w is not { Length: 5 } || !w.All(char.IsAsciiDigit)) == true)
            yield return new("wards", "Mỗi mã xã/phường gồm 5 chữ số.");
    }
}

public sealed record ListClients : IQuery<IReadOnlyList<ClientResponse>>;

public sealed record RotateClientKey(Guid ClientId, RotateClientKeyRequest Request) : ICommand<ClientKeyIssuedResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Request.OverlapHours is < 0 or > 720) yield return new("overlapHours", "Thời gian chồng lấn từ 0 đến 720 giờ.");
    }
}

public sealed record RevokeClientKey(Guid ClientId, string KeyId) : ICommand<ClientResponse>;

public sealed record RevokeClient(Guid ClientId) : ICommand<ClientResponse>;

public sealed class ClientHandlers(Db db, TimeProvider clock) :
    ICommandHandler<RegisterClient, ClientKeyIssuedResponse>,
    IQueryHandler<ListClients, IReadOnlyList<ClientResponse>>,
    ICommandHandler<RotateClientKey, ClientKeyIssuedResponse>,
    ICommandHandler<RevokeClientKey, ClientResponse>,
    ICommandHandler<RevokeClient, ClientResponse>
{
    public async ValueTask<ClientKeyIssuedResponse> Handle(RegisterClient cmd, CancellationToken ct)
    {
        var r = cmd.Request;
        var procedures = r.Procedures is { Count: > 0 } ? r.Procedures.Select(p => p.Trim().ToUpperInvariant()).Distinct().Order().ToList() : null;
        var wards = r.Wards is { Count: > 0 } ? r.Wards.Distinct().Order().ToList() : null;
        var errors = new List<FieldError>();
        foreach (var p in procedures ?? [])
            if (await db.SingleOrDefaultAsync<string>(Sql.ProcedureExists, new { Code = p }, ct) is null)
                errors.Add(new("procedures", $"Không có thủ tục mã '{p}' trong danh mục."));
        foreach (var w in wards ?? [])
            if (!await AdministrativeUnits.PhuThoWards.ExistsAsync(db, w, ct))
                errors.Add(new("wards", $"Mã {w} không phải xã/phường hiện hành của tỉnh Phú Thọ."));
        if (errors.Count > 0) throw ProblemException.Validation(errors);

        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var (keyId, key) = ApiKey.Create();
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.Insert, new
        {
            Id = id,
            Name = r.Name!.Trim(),
            Scopes = string.Join(' ', r.Scopes!.Distinct().Order()),
            Procedures = procedures is null ? null : string.Join(' ', procedures),
            Wards = wards is null ? null : string.Join(' ', wards),
            CreatedBy = cmd.Caller.Id,
            Now = now,
        });
        await tx.ExecuteAsync(Sql.InsertKey, new { Id = keyId, ClientId = id, Hash = ApiKey.Hash(key), Now = now });
        await tx.CommitAsync();
        return new(await LoadAsync(id, ct), keyId, key);
    }

    public async ValueTask<IReadOnlyList<ClientResponse>> Handle(ListClients query, CancellationToken ct)
    {
        var ids = await db.QueryAsync<Guid>(Sql.AllIds, null, ct);
        var result = new List<ClientResponse>(ids.Count);
        foreach (var id in ids) result.Add(await LoadAsync(id, ct));
        return result;
    }

    /// <summary>A new key; the client's current keys stay valid for the overlap so it can switch without downtime.</summary>
    public async ValueTask<ClientKeyIssuedResponse> Handle(RotateClientKey cmd, CancellationToken ct)
    {
        var client = await LoadAsync(cmd.ClientId, ct);
        if (client.RevokedAt is not null) throw ProblemException.Conflict("client-revoked", "Hệ thống này đã bị thu hồi quyền truy cập");
        var now = clock.GetUtcNow();
        var (keyId, key) = ApiKey.Create();
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.ExpireCurrentKeys, new { ClientId = cmd.ClientId, Now = now, Until = now.AddHours(cmd.Request.OverlapHours ?? 24) });
        await tx.ExecuteAsync(Sql.InsertKey, new { Id = keyId, ClientId = cmd.ClientId, Hash = ApiKey.Hash(key), Now = now });
        await tx.CommitAsync();
        return new(await LoadAsync(cmd.ClientId, ct), keyId, key);
    }

    public async ValueTask<ClientResponse> Handle(RevokeClientKey cmd, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var changed = await tx.ExecuteAsync(Sql.RevokeKey, new { Id = cmd.KeyId, cmd.ClientId, Now = clock.GetUtcNow() });
        if (changed == 0) throw ProblemException.NotFound($"khóa {cmd.KeyId} của hệ thống này");
        await tx.CommitAsync();
        return await LoadAsync(cmd.ClientId, ct);
    }

    public async ValueTask<ClientResponse> Handle(RevokeClient cmd, CancellationToken ct)
    {
        await LoadAsync(cmd.ClientId, ct);
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.Revoke, new { Id = cmd.ClientId, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
        return await LoadAsync(cmd.ClientId, ct);
    }

    private async Task<ClientResponse> LoadAsync(Guid id, CancellationToken ct)
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
        public const string ProcedureExists = "SELECT code FROM catalogue_procedure WHERE code = @Code";
        public const string Insert = """
            INSERT INTO api_client (id, name, scopes, procedures, wards, created_by, created_at, revoked_at)
            VALUES (@Id, @Name, @Scopes, @Procedures, @Wards, @CreatedBy, @Now, NULL)
            """;
        public const string InsertKey = """
            INSERT INTO api_key (id, client_id, key_hash, created_at, expires_at, revoked_at) VALUES (@Id, @ClientId, @Hash, @Now, NULL, NULL)
            """;
        public const string ExpireCurrentKeys = """
            UPDATE api_key SET expires_at = @Until
            WHERE client_id = @ClientId AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @Until)
            """;
        public const string RevokeKey = "UPDATE api_key SET revoked_at = @Now WHERE id = @Id AND client_id = @ClientId AND revoked_at IS NULL";
        public const string Revoke = "UPDATE api_client SET revoked_at = @Now WHERE id = @Id AND revoked_at IS NULL";
        public const string AllIds = "SELECT id FROM api_client ORDER BY created_at, id";
        public const string Load = "SELECT id, name, scopes, procedures, wards, created_at, revoked_at FROM api_client WHERE id = @Id";
        public const string Keys = "SELECT id, created_at, expires_at, revoked_at FROM api_key WHERE client_id = @Id ORDER BY created_at";
    }
}

public static class ClientEndpoints
{
    public static IEndpointRouteBuilder MapClients(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/clients").WithTags("Integration clients").RequireAuthorization(Policies.Administrator)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", async (RegisterClientRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var issued = await mediator.Send(new RegisterClient(request, Caller.From(http.User)), ct);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"/api/v1/clients/{issued.Client.Id}", issued);
            })
            .WithName("RegisterClient").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = "Ngân hàng Chính sách xã hội — chi nhánh Phú Thọ",
                ["scopes"] = new System.Text.Json.Nodes.JsonArray("events:read", "dossiers:read", "webhooks:manage"),
                ["procedures"] = new System.Text.Json.Nodes.JsonArray("TD-01"),
                ["wards"] = null,
            })
            .WithSummary("Register an integration client and issue its first API key")
            .WithDescription($"Administrators only. The key (`apiKey`) is shown in this response only and stored as a SHA-256 hash; the client sends it in the `{ApiKey.Header}` header. Scopes and the optional procedure/ward restrictions are enforced on every request.")
            .ProducesValidationProblem();

        group.MapGet("/", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new ListClients(), ct)))
            .WithName("ListClients")
            .WithSummary("Integration clients with their keys (ids and validity only)")
            .WithDescription("Administrators only.");

        group.MapPost("/{clientId:guid}/keys", async (Guid clientId, RotateClientKeyRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var issued = await mediator.Send(new RotateClientKey(clientId, request), ct);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"/api/v1/clients/{clientId}", issued);
            })
            .WithName("RotateClientKey").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject { ["overlapHours"] = 24 })
            .WithSummary("Rotate: issue a new key; the current keys expire after the overlap")
            .WithDescription("Administrators only. The new key is shown once. Current keys stay valid for `overlapHours` (default 24) so the client can switch without an outage; revoke a key to end it at once.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{clientId:guid}/keys/{keyId}", async (Guid clientId, string keyId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RevokeClientKey(clientId, keyId), ct)))
            .WithName("RevokeClientKey")
            .WithSummary("Revoke one key at once")
            .WithDescription("Administrators only. Requests with that key answer 401 from now on.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{clientId:guid}", async (Guid clientId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RevokeClient(clientId), ct)))
            .WithName("RevokeClient")
            .WithSummary("Revoke a client: all its keys stop working, its webhooks stop")
            .WithDescription("Administrators only. The client's record, dossiers and delivery history are kept.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
