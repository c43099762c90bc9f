using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="AuthorName">Who objects (may be a village or a group).</param>
/// <param name="Content">The objection.</param>
public sealed record ObjectionRequest(string? AuthorName, string? Content);

public sealed record ObjectionResponse(string Code, DateTimeOffset FiledAt);

/// <summary>How many objections are taken in 24 hours, counted in the database (so across API nodes).</summary>
public sealed class ObjectionOptions
{
    public const string Section = "Objections";

    /// <summary>Per dossier: a posting invites objections, not a flood of them on one person's file.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int PerDossierPerDay { get; set; } = 5;

    /// <summary>Per sender address (kept as a keyed hash only), over all dossiers.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int PerAddressPerDay { get; set; } = 5;
}

/// <summary>
/// Anyone may object while a dossier is publicly posted (the posting exists for that); the objection lands on
/// the dossier's record and timeline. It changes no status, so it needs no If-Match, and it does not reveal
/// whether a code exists unless the dossier is currently posted.
/// </summary>
/// <param name="SenderAddress">The connection's address (after trusted proxies), for the per-address limit.</param>
public sealed record FileObjection(string Code, Caller Caller, ObjectionRequest Body, string SenderAddress) : ICommand<ObjectionResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.AuthorName) || Body.AuthorName.Length > 200) yield return new("authorName", "Vui lòng ghi họ tên người phản ánh (tối đa 200 ký tự).");
        if (string.IsNullOrWhiteSpace(Body.Content) || Body.Content.Length > 2000) yield return new("content", "Vui lòng ghi nội dung phản ánh (tối đa 2000 ký tự).");
    }
}

public sealed class FileObjectionHandler(Db db, TimeProvider clock, PersonalData personalData,
    Microsoft.Extensions.Options.IOptions<ObjectionOptions> options) : ICommandHandler<FileObjection, ObjectionResponse>
{
    public async ValueTask<ObjectionResponse> Handle(FileObjection cmd, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var now = clock.GetUtcNow();   // taken holding the writer's turn, so the timeline's times follow the order of commits
        var row = DossierCode.IsWellFormed(cmd.Code) ? await tx.SingleOrDefaultAsync<Row>(Sql.Posted, new { cmd.Code }) : null;
        if (row is null || row.Status != nameof(DossierStatus.PublicPosting))
            throw ProblemException.NotFound($"hồ sơ {cmd.Code} đang niêm yết công khai");
        // Counted inside the write transaction: on the single writer two objections cannot both pass the last free place.
        var source = personalData.Hash("objection-source:" + cmd.SenderAddress);
        var since = now.AddDays(-1);
        var limits = options.Value;
        if (await tx.ScalarAsync<long>(Sql.CountForDossier, new { DossierId = row.Id, Since = since }) >= limits.PerDossierPerDay)
            throw TooMany($"Hồ sơ này đã nhận {limits.PerDossierPerDay} ý kiến phản ánh trong 24 giờ qua; " +
                $"vui lòng gửi lại sau hoặc phản ánh trực tiếp tại UBND xã/phường.");
        if (await tx.ScalarAsync<long>(Sql.CountForSource, new { Source = source, Since = since }) >= limits.PerAddressPerDay)
            throw TooMany($"Mỗi địa chỉ gửi được tối đa {limits.PerAddressPerDay} ý kiến phản ánh trong 24 giờ; " +
                $"vui lòng gửi lại sau hoặc phản ánh trực tiếp tại UBND xã/phường.");
        await tx.ExecuteAsync(Sql.Insert, new { Id = Guid.CreateVersion7(), DossierId = row.Id, cmd.Body.AuthorName, cmd.Body.Content, Source = source, Now = now });
        await Timeline.AppendAsync(tx, new(row.Id, "ObjectionFiled", row.Status, cmd.Caller.Id, cmd.Caller.Role, now, $"Ý kiến phản ánh của {cmd.Body.AuthorName}: {cmd.Body.Content}"));
        await tx.CommitAsync();
        return new(cmd.Code, now);
    }

    private static ProblemException TooMany(string detail) =>
        new(StatusCodes.Status429TooManyRequests, "objection-limit", "Đã đạt giới hạn ý kiến phản ánh", detail) { RetryAfter = TimeSpan.FromHours(1) };

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
    }

    internal static class Sql
    {
        public const string Posted = "SELECT id, status FROM dossier WHERE code = @Code";
        public const string Insert = """
            INSERT INTO objection (id, dossier_id, author_name, content, filed_at, source_hash)
            VALUES (@Id, @DossierId, @AuthorName, @Content, @Now, @Source)
            """;
        public const string CountForDossier = "SELECT COUNT(*) FROM objection WHERE dossier_id = @DossierId AND filed_at > @Since";
        public const string CountForSource = "SELECT COUNT(*) FROM objection WHERE source_hash = @Source AND filed_at > @Since";
    }
}
