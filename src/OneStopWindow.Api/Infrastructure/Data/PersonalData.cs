using System.ComponentModel.DataAnnotations;
using System.Data;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;

namespace OneStopWindow.Api.Infrastructure.Data;

public sealed class PersonalDataOptions
{
    public const string Section = "PersonalData";

    /// <summary>
    /// The development keys are the defaults, so the embedded run works from any folder. They are public (in this file)
    /// and refused in Production: an operator configures real ones (deploy/README.md, "Personal data keys").
    /// </summary>
    public const string DevelopmentKeyId = "dev-1";

    public const string DevelopmentKey = "vYoYLaYk2UFZEsUNFgBGWgMQNTqMBOaX21T2LvAq+Rc=";

    public const string DevelopmentHashKey = "+9G7/7COAr9BiZN/POxEURcGUYWv8z60vmuzlliCJ6M=";

    /// <summary>Encryption keys by id: 32 random bytes each, base64. Old ids stay listed until <c>rekey</c> has re-encrypted their rows.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal) { [DevelopmentKeyId] = DevelopmentKey };

    /// <summary>The id in <see cref="Keys"/> that encrypts new data.</summary>
    [Required]
    public string CurrentKeyId { get; set; } = DevelopmentKeyId;

    /// <summary>HMAC-SHA256 key (32 random bytes, base64) for lookups and duplicate checks of identity numbers.</summary>
    [Required]
    public string HashKey { get; set; } = DevelopmentHashKey;
}

/// <summary>
/// Protection at rest for citizen identity numbers and the form (which holds health, disability and ethnicity answers):
/// AES-256-GCM with a key from configuration, stored as <c>pd1.&lt;key id&gt;.&lt;base64 nonce|ciphertext|tag&gt;</c>, so a
/// rotated key keeps old rows readable until they are re-encrypted. Equality lookups (a citizen's own dossiers, the
/// duplicate check, the same person in two lists) use a keyed hash (HMAC-SHA256), never the plain number: a stolen
/// database file yields neither the numbers nor a table to guess them from (12 digits are too few for an unkeyed hash).
/// </summary>
public sealed class PersonalData
{
    private const string Prefix = "pd1.";
    private readonly Dictionary<string, byte[]> keys;
    private readonly string currentKeyId;
    private readonly byte[] hashKey;

    public PersonalData(IOptions<PersonalDataOptions> options)
    {
        var o = options.Value;
        // An empty entry is an unused slot (e.g. the compose file's second key before a rotation).
        keys = o.Keys.Where(k => !string.IsNullOrEmpty(k.Value))
            .ToDictionary(k => k.Key, k => Key(k.Value, $"PersonalData:Keys:{k.Key}"), StringComparer.Ordinal);
        if (!keys.ContainsKey(o.CurrentKeyId))
            throw new InvalidOperationException($"PersonalData:CurrentKeyId '{o.CurrentKeyId}' is not one of PersonalData:Keys.");
        currentKeyId = o.CurrentKeyId;
        hashKey = Key(o.HashKey, "PersonalData:HashKey");
    }

    public string CurrentKeyId => currentKeyId;

    public Sealed Seal(string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var output = new byte[12 + data.Length + 16];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys[currentKeyId], 16);
        aes.Encrypt(nonce, data, output.AsSpan(12, data.Length), output.AsSpan(12 + data.Length), Encoding.UTF8.GetBytes(currentKeyId));
        return new(Prefix + currentKeyId + "." + Convert.ToBase64String(output));
    }

    /// <summary>Decrypts a sealed value; a value stored before encryption (no prefix) is returned as it is.</summary>
    public string Open(Sealed value)
    {
        var stored = value.Stored;
        if (!IsSealed(stored)) return stored;
        var dot = stored.IndexOf('.', Prefix.Length);
        var keyId = stored[Prefix.Length..dot];
        if (!keys.TryGetValue(keyId, out var key))
            throw new CryptographicException($"Personal data was sealed with key '{keyId}', which is not configured (PersonalData:Keys).");
        var input = Convert.FromBase64String(stored[(dot + 1)..]);
        var length = input.Length - 12 - 16;
        var plain = new byte[length];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(input.AsSpan(0, 12), input.AsSpan(12, length), input.AsSpan(12 + length), plain, Encoding.UTF8.GetBytes(keyId));
        return Encoding.UTF8.GetString(plain);
    }

    public static bool IsSealed(string? stored) => stored is not null && stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>True when the value is sealed with a key other than the current one (or not sealed at all): <c>rekey</c> rewrites it.</summary>
    public bool NeedsRekey(Sealed value) => !value.Stored.StartsWith(Prefix + currentKeyId + ".", StringComparison.Ordinal);

    /// <summary>The keyed hash of an identity number, for equality lookups.</summary>
    public string Hash(string idNumber) => Convert.ToHexString(HMACSHA256.HashData(hashKey, Encoding.UTF8.GetBytes(idNumber.Trim())));

    private static byte[] Key(string base64, string name)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64); }
        catch (FormatException) { throw new InvalidOperationException($"{name} must be 32 random bytes in base64."); }
        return key.Length == 32 ? key : throw new InvalidOperationException($"{name} must be 32 random bytes in base64 (got {key.Length} bytes).");
    }
}

/// <summary>
/// Text as stored encrypted (<c>pd1.…</c>, or plain in a row from before encryption). Dapper reads and writes it as it
/// is, with no key: only <see cref="PersonalData"/>, injected where the plain text is needed, seals and opens it, so a
/// queue page or a masked status read never decrypts the form.
/// </summary>
public readonly record struct Sealed(string Stored)
{
    internal sealed class Handler : SqlMapper.TypeHandler<Sealed>
    {
        public override void SetValue(IDbDataParameter parameter, Sealed value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.Stored;
        }

        public override Sealed Parse(object value) => new((string)value);
    }
}
