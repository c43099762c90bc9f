using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Infrastructure.Auth;

/// <summary>
/// Bearer tokens. Production: an OpenID Connect authority (VNeID for citizens, the province's staff
/// directory) set in <see cref="Authority"/>. Development and tests: a symmetric key, with tokens minted
/// by the <c>token</c> command of this executable.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    [Required]
    public string Issuer { get; set; } = "onestopwindow-dev";
    [Required]
    public string Audience { get; set; } = "onestopwindow-api";

    /// <summary>OIDC authority (metadata and signing keys are discovered). Empty: use <see cref="SigningKey"/>.</summary>
    public string? Authority { get; set; }

    /// <summary>Symmetric signing key, at least 32 bytes of text. The Development key must never be used in Production.</summary>
    public string? SigningKey { get; set; }

    public const string DevelopmentKey = "onestopwindow-DEVELOPMENT-ONLY-signing-key-do-not-use-in-production";

    public SymmetricSecurityKey Key() => new(Encoding.UTF8.GetBytes(SigningKey ?? DevelopmentKey));
}

/// <summary>Claim names, the same in tokens, configuration and the token command.</summary>
public static class Claims
{
    public const string Role = "role";
    public const string Ward = "ward";
    public const string IdNumber = "id_number";
    public const string Name = "name";
    public const string Subject = "sub";

    /// <summary>The keyed hash of <see cref="IdNumber"/>, added at authentication (<see cref="IdHashClaim"/>); never taken from a token.</summary>
    public const string IdHash = "osw:id_hash";

    // Integration clients (API key), see ApiKeyAuthenticationHandler.
    public const string ClientId = "client_id";
    public const string KeyId = "key_id";
    public const string Scope = "scope";
    public const string ClientProcedures = "client_procedures";
    public const string ClientWards = "client_wards";
}

public static class Policies
{
    public const string Citizen = "citizen";
    public const string WardStaff = "ward-staff";
    public const string Staff = "staff";
    public const string Provincial = "provincial";
    public const string Administrator = "administrator";

    /// <summary>An integration client holding the scope (see <see cref="Scopes"/>).</summary>
    public static string ClientScope(string scope) => "client:" + scope;
}

/// <summary>Who is calling, from the token only — never from the body.</summary>
public sealed record Caller(string Id, string Role, string? WardCode, string? IdNumber, string Name, ClientAccess? Client = null)
{
    /// <summary>The keyed hash of <see cref="IdNumber"/>, which dossiers and beneficiary records are matched on.</summary>
    public string? IdHash { get; init; }

    public static readonly Caller Anonymous = new("anonymous", "anonymous", null, null, "anonymous");

    public bool IsStaff => Role is Roles.WardOfficer or Roles.WardChair or Roles.ProvincialOfficer or Roles.Administrator;
    public bool IsProvincial => Role is Roles.ProvincialOfficer or Roles.Administrator;
    public bool IsWardStaff => Role is Roles.WardOfficer or Roles.WardChair;

    /// <summary>Staff scope by ward: provincial officers and administrators every ward; ward staff their own.</summary>
    public bool ServesWard(string? wardCode) => IsProvincial || (IsWardStaff && WardCode is not null && WardCode == wardCode);

    public static Caller From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return Anonymous;
        var role = user.FindFirstValue(Claims.Role) ?? "anonymous";
        var client = role == Roles.Client && user.Identity.AuthenticationType == ApiKey.Scheme && Guid.TryParse(user.FindFirstValue(Claims.ClientId), out var clientId)
            ? new ClientAccess(clientId, user.FindFirstValue(Claims.Name) ?? "client",
                user.FindAll(Claims.Scope).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
                ClientAccess.ParseList(user.FindFirstValue(Claims.ClientProcedures)), ClientAccess.ParseList(user.FindFirstValue(Claims.ClientWards)))
            : null;
        return new(user.FindFirstValue(Claims.Subject) ?? "unknown", role, user.FindFirstValue(Claims.Ward),
            user.FindFirstValue(Claims.IdNumber), user.FindFirstValue(Claims.Name) ?? role, client)
        { IdHash = user.FindFirstValue(Claims.IdHash) };
    }
}

/// <summary>
/// Adds the keyed hash of the caller's identity number once it is authenticated, so no handler needs the hash key. A
/// hash claim that came in the token itself is dropped first: it could name someone else.
/// </summary>
public sealed class IdHashClaim(Data.PersonalData personalData) : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        foreach (var identity in principal.Identities)
            foreach (var forged in identity.FindAll(Claims.IdHash).ToList())
                identity.RemoveClaim(forged);
        if (principal.Identity is ClaimsIdentity { IsAuthenticated: true } signedIn && signedIn.FindFirst(Claims.IdNumber)?.Value is { Length: > 0 } idNumber)
            signedIn.AddClaim(new Claim(Claims.IdHash, personalData.Hash(idNumber)));
        return Task.FromResult(principal);
    }
}

public static class AuthSetup
{
    private const string Either = "ApiKeyOrBearer";

    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = Settings.Settings.Read<AuthOptions>(configuration, AuthOptions.Section);
        Settings.DevelopmentSecrets.Check(environment, configuration);   // public development keys: Development and Testing only, never mixed
        services.AddSettings<AuthOptions>(AuthOptions.Section);

        // One default scheme for every endpoint: a request carrying an API key is an integration client, any other a bearer token (or anonymous).
        services.AddAuthentication(Either)
            .AddPolicyScheme(Either, "API key or bearer token", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(ApiKey.Header) ? ApiKey.Scheme : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKey.Scheme, null)
            .AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.Authority = string.IsNullOrEmpty(options.Authority) ? null : options.Authority;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKey = string.IsNullOrEmpty(options.Authority) ? options.Key() : null,
                ValidAlgorithms = string.IsNullOrEmpty(options.Authority) ? [SecurityAlgorithms.HmacSha256] : null,
                RoleClaimType = Claims.Role,
                NameClaimType = Claims.Name,
                ClockSkew = TimeSpan.FromMinutes(1),
            };
        });
        services.AddTransient<IClaimsTransformation, IdHashClaim>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Citizen, p => p.RequireRole(Roles.Citizen).RequireClaim(Claims.IdNumber))
            .AddPolicy(Policies.WardStaff, p => p.RequireRole(Roles.WardOfficer, Roles.WardChair, Roles.ProvincialOfficer, Roles.Administrator))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.WardOfficer, Roles.WardChair, Roles.ProvincialOfficer, Roles.Administrator))
            .AddPolicy(Policies.Provincial, p => p.RequireRole(Roles.ProvincialOfficer, Roles.Administrator))
            .AddPolicy(Policies.Administrator, p => p.RequireRole(Roles.Administrator));
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
            authorization.AddPolicy(Policies.ClientScope(scope), p => p.AddAuthenticationSchemes(ApiKey.Scheme).RequireRole(Roles.Client).RequireClaim(Claims.Scope, scope));
        return services;
    }
}

public static class AuthMiddleware
{
    /// <summary>
    /// Authentication and authorization. A request that presents an API key must present a valid one, even on
    /// public endpoints: a wrong key answers 401 rather than silently continuing as anonymous.
    /// </summary>
    public static WebApplication UseAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();   // after authentication: buckets per proven caller (EdgeProtection), before any refusal
        app.UseRateLimitHeaders();
        app.Use(async (http, next) =>
        {
            if (http.Request.Headers.ContainsKey(ApiKey.Header) && http.User.Identity?.IsAuthenticated != true)
            {
                await http.ChallengeAsync(ApiKey.Scheme);
                return;
            }
            await next(http);
        });
        app.UseAuthorization();
        return app;
    }
}

/// <summary>
/// <c>dotnet run --project src/OneStopWindow.Api -- token --role ward-officer --ward 04795</c>: prints a token
/// signed with the configured (Development) key. Refuses to run in Production.
/// </summary>
public static class TokenCommand
{
    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == "token";

    public static int Run(string[] args, IConfiguration configuration, IHostEnvironment environment, TextWriter output)
    {
        if (!Settings.DevelopmentSecrets.Allowed(environment))
        {
            output.WriteLine($"The token command is for development and testing only; it refuses to run in '{environment.EnvironmentName}' (Production included).");
            return 2;
        }
        try { Settings.DevelopmentSecrets.Check(environment, configuration); }
        catch (InvalidOperationException e)
        {
            output.WriteLine(e.Message);   // a token signed with a real key would be a real credential
            return 2;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];
        if (!values.TryGetValue("role", out var role) || !Roles.All.Contains(role))
        {
            output.WriteLine($"Usage: token --role <{string.Join('|', Roles.All)}> [--ward <code>] [--id-number <12 digits>] [--sub <id>] [--name <text>] [--hours <n>]");
            return 2;
        }
        if (role is Roles.WardOfficer or Roles.WardChair && !values.ContainsKey("ward"))
        {
            output.WriteLine("Ward staff tokens need --ward <5-digit ward code>.");
            return 2;
        }
        if (role == Roles.Citizen && !values.ContainsKey("id-number"))
        {
            output.WriteLine("Citizen tokens need --id-number <12-digit identity number>.");
            return 2;
        }
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        output.WriteLine(Mint(options, role, values.GetValueOrDefault("ward"), values.GetValueOrDefault("id-number"),
            values.GetValueOrDefault("sub"), values.GetValueOrDefault("name"),
            TimeSpan.FromHours(double.Parse(values.GetValueOrDefault("hours", "8"), System.Globalization.CultureInfo.InvariantCulture))));
        return 0;
    }

    public static string Mint(AuthOptions options, string role, string? ward, string? idNumber, string? subject, string? name, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object>
        {
            [Claims.Role] = role,
            [Claims.Subject] = subject ?? (idNumber is not null ? "citizen-" + idNumber[^4..] : $"{role}-{ward ?? "province"}"),
            [Claims.Name] = name ?? role,
        };
        if (ward is not null) claims[Claims.Ward] = ward;
        if (idNumber is not null) claims[Claims.IdNumber] = idNumber;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Claims = claims,
            Expires = DateTime.UtcNow.Add(lifetime),
            SigningCredentials = new SigningCredentials(options.Key(), SecurityAlgorithms.HmacSha256),
        });
    }
}
