using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Infrastructure.Settings;

/// <summary>
/// The development defaults of the secrets (the token signing key, the personal-data key and hash key) are public: they
/// are accepted only in the Development and Testing environments, and only all together. A setup that mixes them with
/// real ones (a real signing key beside the public data key, say) is refused in every environment, because it looks
/// protected and is not. Old keys listed only to read rows until <c>rekey</c> has run are not counted.
/// </summary>
public static class DevelopmentSecrets
{
    public static readonly IReadOnlySet<string> Environments = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Development", "Testing" };

    public static bool Allowed(IHostEnvironment environment) => Environments.Contains(environment.EnvironmentName);

    /// <summary>Throws when the secrets are development defaults where they may not be, or a mix of both kinds.</summary>
    public static void Check(IHostEnvironment environment, AuthOptions auth, PersonalDataOptions data)
    {
        var secrets = new (string Name, bool Public)[]
        {
            ("Auth:SigningKey", string.IsNullOrEmpty(auth.Authority) && (string.IsNullOrEmpty(auth.SigningKey) || auth.SigningKey == AuthOptions.DevelopmentKey)),
            ("PersonalData:Keys:" + data.CurrentKeyId, data.CurrentKeyId == PersonalDataOptions.DevelopmentKeyId
                || data.Keys.GetValueOrDefault(data.CurrentKeyId) == PersonalDataOptions.DevelopmentKey),
            ("PersonalData:HashKey", data.HashKey == PersonalDataOptions.DevelopmentHashKey),
        };
        var publicOnes = secrets.Where(s => s.Public).Select(s => s.Name).ToList();
        if (publicOnes.Count == 0) return;
        if (publicOnes.Count < secrets.Length)
            throw new InvalidOperationException(
                $"Mixed secrets: {string.Join(", ", publicOnes)} still the public development default while the others are real. " +
                $"Configure all of them (deploy/README.md, Production hardening and Personal data keys).");
        if (!Allowed(environment))
            throw new InvalidOperationException(
                $"The environment '{environment.EnvironmentName}' needs its own secrets: the development defaults ({string.Join(", ", publicOnes)}) are public " +
                $"and accepted only in Development and Testing. Configure Auth:Authority or Auth:SigningKey, and PersonalData keys (deploy/README.md).");
    }

    /// <summary>The check on the configuration, before the host is built (every command and the service itself).</summary>
    public static void Check(IHostEnvironment environment, IConfiguration configuration) =>
        Check(environment, Settings.Read<AuthOptions>(configuration, AuthOptions.Section), Settings.Read<PersonalDataOptions>(configuration, PersonalDataOptions.Section));
}
