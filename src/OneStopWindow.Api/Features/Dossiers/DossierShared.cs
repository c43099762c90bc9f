using System.Security.Cryptography;
using System.Text;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Dossiers;

/// <summary>
/// The secret a citizen tracks an anonymous dossier with: 128 random bits, Base32 (no look-alike
/// letters to misread at a counter), stored only as a SHA-256 hash and compared in constant time.
/// </summary>
public static class TrackingSecret
{
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static string Create()
    {
        var symbols = RandomNumberGenerator.GetString(Alphabet, 20);   // unbiased; 20 symbols of 31 ≈ 99 bits
        return string.Join('-', symbols.Chunk(5).Select(c => new string(c)));   // e.g. "K7QX2-M9PAT-..."
    }

    public static string Hash(string secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(secret))));

    public static bool Matches(string? secret, string storedHash)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > 64) return false;
        var actual = Encoding.ASCII.GetBytes(Hash(secret));
        var expected = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    // Citizens type secrets from paper: ignore case, spaces and dashes.
    private static string Canonical(string secret) =>
        new(secret.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}

/// <summary>One entry of a dossier's timeline: who did what, when, why (the processing-control sheet, Form 05).</summary>
/// <param name="StepId">The workflow step that wrote it; unique per dossier, so a re-run step cannot write it twice.</param>
public sealed record TimelineEvent(Guid DossierId, string Kind, string StatusAfter, string Actor, string ActorRole, DateTimeOffset At,
    string? Note, Guid? StepId = null);

/// <summary>
/// Appends to the timeline inside the caller's transaction — the one way every slice records a step — and writes
/// the matching integration event (the outbox) in the same transaction, so no change is ever without its event.
/// Call it after updating the dossier row: the event carries the dossier's ward and version after the change.
/// </summary>
public static class Timeline
{
    /// <returns>The event's id (its outbox event has the same).</returns>
    public static async Task<Guid> AppendAsync(DbWrite tx, TimelineEvent e)
    {
        var id = Guid.CreateVersion7();
        await tx.ExecuteAsync(Sql.Append, new
        {
            Id = id,
            e.DossierId,
            e.Kind,
            e.StatusAfter,
            e.Actor,
            e.ActorRole,
            e.At,
            e.Note,
            e.StepId,
        });
        await tx.ExecuteAsync(Sql.AppendIntegrationEvent, new { Id = id, e.DossierId, e.Kind, e.StatusAfter, e.At });
        return id;
    }

    internal static class Sql
    {
        public const string Append = """
            INSERT INTO dossier_event (id, dossier_id, kind, status_after, actor, actor_role, occurred_at, note, step_id)
            VALUES (@Id, @DossierId, @Kind, @StatusAfter, @Actor, @ActorRole, @At, @Note, @StepId)
            """;

        // No personal data in events: clients read the dossier itself with the dossiers:read scope.
        public const string AppendIntegrationEvent = """
            INSERT INTO integration_event (id, dossier_id, dossier_code, procedure_code, ward_code, client_id, event_type, status_after, version, occurred_at)
            SELECT @Id, id, code, procedure_code, handling_ward_code, client_id, @Kind, @StatusAfter, version, @At FROM dossier WHERE id = @DossierId
            """;
    }
}
