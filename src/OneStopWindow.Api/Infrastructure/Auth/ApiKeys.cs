using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Infrastructure.Auth;

/// <summary>What an integration client may do. A client only ever sees dossiers its restrictions allow.</summary>
public static class Scopes
{
    public const string SubmitDossiers = "dossiers:submit";
    /// <summary>With <see cref="SubmitDossiers"/>: may record counter and postal filings (the one-stop counter software).</summary>
    public const string SubmitAtCounter = "dossiers:counter";
    public const string ReadDossiers = "dossiers:read";
    /// <summary>The list and download of a dossier's documents (the files hold health and income papers).</summary>
    public const string ReadDocuments = "documents:read";
    public const string ReadEvents = "events:read";
    /// <summary>One entitlement of the benefit register (the href of its events) and the entitlements a dossier created or changed:
    /// status, months, amount, history — never the basis' group or coefficient, reasons, notes, staff or payment accounts.</summary>
    public const string ReadEntitlements = "entitlements:read";
    public const string ManageWebhooks = "webhooks:manage";
    /// <summary>A payer organisation fetches the approved payment lists of its wards as CSV or XLSX (names, identity and account numbers, amounts).</summary>
    public const string ReadPayments = "payments:read";
    /// <summary>A payer organisation sends back its result file for a list of its wards (issue 19).</summary>
    public const string WritePayments = "payments:write";

    public static readonly IReadOnlyList<string> All =
        [SubmitDossiers, SubmitAtCounter, ReadDossiers, ReadDocuments, ReadEvents, ReadEntitlements, ManageWebhooks, ReadPayments, WritePayments];
}

/// <summary>An integration client's grants, from its API key: scopes, and optional procedure and ward restrictions (null = all).</summary>
public sealed record ClientAccess(Guid Id, string Name, IReadOnlySet<string> Scopes, IReadOnlySet<string>? Procedures, IReadOnlySet<string>? Wards)
{
    public bool Has(string scope) => Scopes.Contains(scope);

    public bool AllowsProcedure(string procedureCode) => Procedures is null || Procedures.Contains(procedureCode);

    /// <summary>
    /// A dossier (or one of its events) is visible when its procedure is allowed and its handling ward is allowed.
    /// A ward-restricted client does not see a dossier before it is routed (ward unknown) unless it filed it itself.
    /// </summary>
    public bool Sees(string procedureCode, string? wardCode, Guid? filedByClient) =>
        AllowsProcedure(procedureCode) && (Wards is null || (wardCode is null ? filedByClient == Id : Wards.Contains(wardCode)));

    internal static IReadOnlySet<string>? ParseList(string? spaceSeparated) =>
        string.IsNullOrWhiteSpace(spaceSeparated) ? null : spaceSeparated.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// API keys look like <c>osw_&lt;key id&gt;_&lt;secret&gt;</c>. The key id finds the row; only the SHA-256 of the whole
/// key is stored (a 256-bit random secret needs no slow hash) and compared in constant time.
/// </summary>
public static class ApiKey
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";
    private const string Prefix = "osw_";
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static (string KeyId, string Key) Create()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, 12);
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}");
    }

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string? KeyIdOf(string key)
    {
        if (key.Length is < 20 or > 100 || !key.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var end = key.IndexOf('_', Prefix.Length);
        return end == Prefix.Length + 12 ? key[Prefix.Length..end] : null;
    }

    public static bool Matches(string key, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(key)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Authenticates <see cref="ApiKey.Header"/>: a valid, unexpired, unrevoked key of an unrevoked client.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Db db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKey.Header, out var values)) return AuthenticateResult.NoResult();
        var key = values.ToString();
        if (ApiKey.KeyIdOf(key) is not { } keyId) return AuthenticateResult.Fail("Malformed API key.");
        var row = await db.SingleOrDefaultAsync<KeyRow>(Sql.Load, new { Id = keyId, Now = clock.GetUtcNow() }, Context.RequestAborted);
        if (row is null || !ApiKey.Matches(key, row.KeyHash)) return AuthenticateResult.Fail("Unknown, expired or revoked API key.");

        // The key id (not secret) identifies the key in logs; the key itself is never logged.
        var claims = new List<Claim>
        {
            new(Claims.Subject, "client:" + row.ClientId.ToString("D")),
            new(Claims.Role, Roles.Client),
            new(Claims.Name, row.Name),
            new(Claims.ClientId, row.ClientId.ToString("D")),
            new(Claims.KeyId, keyId),
        };
        claims.AddRange(row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(Claims.Scope, s)));
        if (row.Procedures is not null) claims.Add(new(Claims.ClientProcedures, row.Procedures));
        if (row.Wards is not null) claims.Add(new(Claims.ClientWards, row.Wards));
        var identity = new ClaimsIdentity(claims, ApiKey.Scheme, Claims.Name, Claims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKey.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{ApiKey.Scheme} header=\"{ApiKey.Header}\"";
        return base.HandleChallengeAsync(properties);
    }

    private sealed record KeyRow
    {
        public Guid ClientId { get; init; }
        public string KeyHash { get; init; } = "";
        public string Name { get; init; } = "";
        public string Scopes { get; init; } = "";
        public string? Procedures { get; init; }
        public string? Wards { get; init; }
    }

    internal static class Sql
    {
        public const string Load = """
            SELECT k.client_id, k.key_hash, c.name, c.scopes, c.procedures, c.wards
            FROM api_key k JOIN api_client c ON c.id = k.client_id
            WHERE k.id = @Id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > @Now) AND c.revoked_at IS NULL
            """;
    }
}
