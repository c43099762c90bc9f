using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration;

/// <param name="Name">Who the client is, e.g. "Cổng Dịch vụ công quốc gia — connector".</param>
/// <param name="Scopes">Any of `dossiers:submit`, `dossiers:counter`, `dossiers:read`, `documents:read`, `events:read`, `entitlements:read`, `webhooks:manage`.</param>
/// <param name="Procedures">Optional: only these procedure codes. Omitted or empty: all procedures.</param>
/// <param name="Wards">Optional: only dossiers handled by these current ward codes. Omitted or empty: the whole province.</param>
public sealed record RegisterClientRequest(string? Name, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? Procedures, IReadOnlyList<string>? Wards);

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

public sealed class RegisterClientHandler(Db db, TimeProvider clock) : ICommandHandler<RegisterClient, ClientKeyIssuedResponse>
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
        await tx.ExecuteAsync(ClientStatements.Sql.InsertKey, new { Id = keyId, ClientId = id, Hash = ApiKey.Hash(key), Now = now });
        await tx.CommitAsync();
        return new(await ClientStatements.LoadAsync(db, id, ct), keyId, key);
    }

    internal static class Sql
    {
        public const string ProcedureExists = "SELECT code FROM catalogue_procedure WHERE code = @Code";
        public const string Insert = """
            INSERT INTO api_client (id, name, scopes, procedures, wards, created_by, created_at, revoked_at)
            VALUES (@Id, @Name, @Scopes, @Procedures, @Wards, @CreatedBy, @Now, NULL)
            """;
    }
}
