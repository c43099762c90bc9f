using System.Text.Json;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Papers;

namespace OneStopWindow.Api.Features.Dossiers;

/// <summary>
/// What a paper prints that may change after its event (the appointment a delay notice moves, the items of a supplement
/// request), captured in the event's transaction so a rendering today and one after a crash give the same bytes. The
/// rest (the applicant's name, the procedure, the issuing ward) is read from the dossier when the paper is rendered.
/// Sealed at rest: it may name the beneficiary.
/// </summary>
public sealed record PaperFacts
{
    public DateOnly? Appointment { get; init; }
    public DateOnly? OldAppointment { get; init; }
    public int? ProcessingDays { get; init; }
    /// <summary>The unit that received the dossier (the provincial portal is "25").</summary>
    public string? ReceivingUnitCode { get; init; }
    /// <summary>The role of the person who acted (the receiving officer, the chair), shown by role, never by account id.</summary>
    public string? ActorRole { get; init; }
    /// <summary>The signer's name as their account gives it (the chair on the decision).</summary>
    public string? SignerName { get; init; }
    /// <summary>Supplement items ("what: why"), the refusal's reason and explanation, the delay's reason.</summary>
    public IReadOnlyList<string> Items { get; init; } = [];
    public string? Reason { get; init; }
    public string? Explanation { get; init; }
    /// <summary>The decision as stored on the dossier (number, date, legal basis, amount, effective month).</summary>
    public JsonElement? Decision { get; init; }
    public string? BeneficiaryName { get; init; }
    public string? LegalBasis { get; init; }
}

/// <summary>
/// Queues the papers an event issues (Domain's <see cref="PaperRules"/>), inside the event's own transaction: a pending
/// <c>dossier_paper</c> row and its <c>Paper:{id}</c> workflow step. The PDF is rendered after the commit by that step
/// (Features/Papers), so no rendering ever holds the write transaction, and a crash between the commit and the
/// rendering leaves a pending step the pump runs again.
/// </summary>
public static class PaperQueue
{
    public static async Task<IReadOnlyList<(PaperKind Kind, Guid Id)>> QueueAsync(DbWrite tx, PersonalData personalData, Guid dossierId,
        string eventKind, Guid eventId, DateTimeOffset at, PaperFacts? facts)
    {
        var queued = new List<(PaperKind, Guid)>();
        foreach (var paper in PaperRules.IssuedBy(eventKind))
        {
            var id = Guid.CreateVersion7();
            var verifyCode = PaperVerifyCodes.New();
            await tx.ExecuteAsync(Sql.Insert, new
            {
                VerifyKey = PaperVerifyCodes.Key(verifyCode),
                VerifyCode = personalData.Seal(verifyCode),
                Id = id,
                DossierId = dossierId,
                Kind = paper.Code,
                EventId = eventId,
                IssuedAt = at,
                Facts = personalData.Seal(JsonSerializer.Serialize(facts ?? new PaperFacts(), JsonSerializerOptions.Web)),
            });
            await tx.ExecuteAsync(WorkflowSql.InsertStep, new { Id = Guid.CreateVersion7(), DossierId = dossierId, Kind = StepName(id), Now = at, DueAt = (DateTimeOffset?)null });
            queued.Add((paper.Kind, id));
        }
        return queued;
    }

    public static string StepName(Guid paperId) => WorkflowSteps.Paper + paperId.ToString("N");

    /// <summary>The paper's address under its dossier (what the counter filing's 201 and the list carry).</summary>
    public static string Href(string code, Guid paperId) => $"/api/v1/dossiers/{code}/papers/{paperId}";

    internal static class Sql
    {
        public const string Insert = """
            INSERT INTO dossier_paper (id, dossier_id, kind, event_id, issued_at, facts, content, size_bytes, sha256, rendered_at, verify_key, verify_code)
            VALUES (@Id, @DossierId, @Kind, @EventId, @IssuedAt, @Facts, NULL, NULL, NULL, NULL, @VerifyKey, @VerifyCode)
            """;
    }
}

/// <summary>
/// The code in a paper's public verification address (its QR): 128 random bits, base64url (22 characters). The table
/// keeps its SHA-256 for the look-up, and the code sealed so a later rendering prints the same QR.
/// </summary>
public static class PaperVerifyCodes
{
    public const int Length = 22;

    public const string Path = "/api/v1/verify/";

    public static string New() => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static string Key(string code) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(code)));

    /// <summary>Only the shape a code can have (22 base64url characters): anything else is not looked up.</summary>
    public static bool IsWellFormed(string? code) =>
        code is { Length: Length } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
