using System.Security.Cryptography;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Papers;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>Renders one queued paper (its workflow step <c>Paper:{id}</c>) and stores it with its SHA-256 on the timeline.</summary>
public sealed record RenderPaper(Guid StepId, Guid PaperId) : ICommand<bool>;

/// <summary>
/// Runs after the event's commit: reads the paper's row and its dossier, renders outside any transaction, then in one short
/// write stores the bytes (only if none are stored: a paper is produced once), appends <c>PaperIssued</c> with the
/// SHA-256 to the timeline (no outbox event: no state changed; clients see it on the timeline and in the list) and
/// completes the step. A crash before that write leaves the step pending; the pump runs it again (after its lease),
/// and renders again (the unsigned layout is the same; the signature's time differs, and only the first stored file counts).
/// The paper is signed with the issuing unit's certificate (<see cref="PaperCertificate"/>) as it is rendered.
/// </summary>
public sealed class RenderPaperHandler(Db db, PersonalData personalData, PaperCertificate certificate, IOptions<PapersOptions> options, TimeProvider clock)
    : ICommandHandler<RenderPaper, bool>
{
    public async ValueTask<bool> Handle(RenderPaper cmd, CancellationToken ct)
    {
        var paper = await db.SingleOrDefaultAsync<PaperRow>(Sql.Paper, new { Id = cmd.PaperId }, ct);
        if (paper is null || paper.Sha256 is not null) return await CompleteAsync(cmd, ct);
        var source = await PaperSources.LoadAsync(db, personalData, paper, ct);
        var document = PaperComposer.Compose(source, options.Value.PublicBaseUrl, certificate.SignerName);
        var bytes = PaperRenderer.Render(document, certificate.Certificate);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var now = clock.GetUtcNow();

        await using var tx = await db.BeginWriteAsync(ct);
        if (await tx.ExecuteAsync(Sql.Store, new { paper.Id, Content = bytes, Size = bytes.LongLength, Sha = sha, Now = now }) == 1)
        {
            // On the timeline only, not in the outbox: the dossier's state did not change (as a skipped step's note).
            var def = source.Definition;
            await tx.ExecuteAsync(Timeline.Sql.Append, new
            {
                Id = Guid.CreateVersion7(),
                paper.DossierId,
                Kind = PaperRules.IssuedEvent,
                StatusAfter = await tx.ScalarAsync<string>(Sql.Status, new { paper.DossierId }),
                Actor = "system:papers",
                ActorRole = Roles.System,
                At = now,
                Note = $"Đã phát hành {(def.Form is { } f ? "Mẫu số " + f + " — " : "")}{def.Title} (mã giấy {paper.Id:N}); SHA-256 {sha}.",
                cmd.StepId,
            });
        }
        await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = cmd.StepId, Now = now });
        await tx.CommitAsync();
        return true;
    }

    private async Task<bool> CompleteAsync(RenderPaper cmd, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = cmd.StepId, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
        return false;
    }

    internal static class Sql
    {
        public const string Paper = "SELECT id, dossier_id, kind, event_id, issued_at, facts, sha256, verify_code FROM dossier_paper WHERE id = @Id";
        public const string Store = """
            UPDATE dossier_paper SET content = @Content, size_bytes = @Size, sha256 = @Sha, rendered_at = @Now
            WHERE id = @Id AND sha256 IS NULL
            """;
        public const string Status = "SELECT status FROM dossier WHERE id = @DossierId";
    }
}

public sealed record PaperRow
{
    public Guid Id { get; init; }
    public Guid DossierId { get; init; }
    public string Kind { get; init; } = "";
    public Guid EventId { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public Sealed Facts { get; init; }
    public string? Sha256 { get; init; }

    /// <summary>The sealed verification code its QR prints (null for papers issued before migration 0027).</summary>
    public Sealed? VerifyCode { get; init; }
}

/// <summary>Reads what a paper prints: its facts, its dossier, the procedure, the units, the steps so far.</summary>
public static class PaperSources
{
    public static async Task<PaperSource> LoadAsync(Db db, PersonalData personalData, PaperRow paper, CancellationToken ct)
    {
        var def = PaperRules.ByCode(paper.Kind) ?? throw new InvalidOperationException($"Unknown paper kind '{paper.Kind}'.");
        var facts = JsonSerializer.Deserialize<PaperFacts>(personalData.Open(paper.Facts), JsonSerializerOptions.Web)!;
        var dossier = await db.SingleOrDefaultAsync<DossierRow>(Sql.Dossier, new { Id = paper.DossierId }, ct)
                      ?? throw new InvalidOperationException($"Paper {paper.Id} has no dossier.");
        var procedure = await ProcedureDefinition.LoadAsync(db, dossier.ProcedureCode, ct)
                        ?? throw new InvalidOperationException($"Dossier {dossier.Code}: unknown procedure.");
        var documents = procedure.Root.GetProperty("requiredDocuments").EnumerateArray()
            .ToDictionary(d => d.GetProperty("code").GetString()!, d => d.GetProperty("name").Pick(Language.Vi)!);
        var issuerCode = def.Kind == PaperKind.Receipt ? facts.ReceivingUnitCode ?? "25" : dossier.HandlingWardCode ?? facts.ReceivingUnitCode ?? "25";
        var issuer = await UnitAsync(db, "current", issuerCode, ct) ?? new PaperUnit(issuerCode, "Phú Thọ", "Tỉnh Phú Thọ");
        var residence = await UnitAsync(db, dossier.ResidenceEra, dossier.ResidenceCode, ct);
        var steps = def.Kind == PaperKind.ControlSheet
            ? await db.QueryAsync<PaperStep>(Sql.Steps, new { paper.DossierId, At = paper.IssuedAt }, ct)
            : [];
        return new(paper.Id, def, paper.IssuedAt, facts, dossier, procedure.Root.GetProperty("name").Pick(Language.Vi)!, documents, issuer,
            residence, steps)
        {
            VerifyCode = paper.VerifyCode is { } code ? personalData.Open(code) : null,
        };
    }

    private static async Task<PaperUnit?> UnitAsync(Db db, string era, string code, CancellationToken ct) =>
        await db.SingleOrDefaultAsync<PaperUnit>(Sql.Unit, new { Era = era, Code = code }, ct);

    internal static class Sql
    {
        public const string Dossier = DossierAccess.Sql.SelectColumns + " WHERE id = @Id";
        public const string Unit = "SELECT code, name, full_name FROM admin_unit WHERE era = @Era AND code = @Code";
        // The hand-overs up to the paper's event, by kind, role and time (no officer's identity, no note).
        public const string Steps = """
            SELECT kind, actor_role AS role, occurred_at AS at FROM dossier_event
            WHERE dossier_id = @DossierId AND occurred_at <= @At AND kind NOT IN ('PaperIssued', 'RegistryChecked', 'SystemStepSkipped')
            ORDER BY occurred_at, id
            """;
    }
}
