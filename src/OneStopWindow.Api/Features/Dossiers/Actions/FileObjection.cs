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

/// <summary>
/// Anyone may object while a dossier is publicly posted (the posting exists for that); the objection lands on
/// the dossier's record and timeline. It changes no status, so it needs no If-Match, and it does not reveal
/// whether a code exists unless the dossier is currently posted.
/// </summary>
public sealed record FileObjection(string Code, Caller Caller, ObjectionRequest Body) : ICommand<ObjectionResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.AuthorName) || Body.AuthorName.Length > 200) yield return new("authorName", "Vui lòng ghi họ tên người phản ánh (tối đa 200 ký tự).");
        if (string.IsNullOrWhiteSpace(Body.Content) || Body.Content.Length > 2000) yield return new("content", "Vui lòng ghi nội dung phản ánh (tối đa 2000 ký tự).");
    }
}

public sealed class FileObjectionHandler(Db db, TimeProvider clock) : ICommandHandler<FileObjection, ObjectionResponse>
{
    public async ValueTask<ObjectionResponse> Handle(FileObjection cmd, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var now = clock.GetUtcNow();   // taken holding the writer's turn, so the timeline's times follow the order of commits
        var row = DossierCode.IsWellFormed(cmd.Code) ? await tx.SingleOrDefaultAsync<Row>(Sql.Posted, new { cmd.Code }) : null;
        if (row is null || row.Status != nameof(DossierStatus.PublicPosting))
            throw ProblemException.NotFound($"hồ sơ {cmd.Code} đang niêm yết công khai");
        await tx.ExecuteAsync(Sql.Insert, new { Id = Guid.CreateVersion7(), DossierId = row.Id, cmd.Body.AuthorName, cmd.Body.Content, Now = now });
        await Timeline.AppendAsync(tx, new(row.Id, "ObjectionFiled", row.Status, cmd.Caller.Id, cmd.Caller.Role, now, $"Ý kiến phản ánh của {cmd.Body.AuthorName}: {cmd.Body.Content}"));
        await tx.CommitAsync();
        return new(cmd.Code, now);
    }

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
    }

    internal static class Sql
    {
        public const string Posted = "SELECT id, status FROM dossier WHERE code = @Code";
        public const string Insert = """
            INSERT INTO objection (id, dossier_id, author_name, content, filed_at) VALUES (@Id, @DossierId, @AuthorName, @Content, @Now)
            """;
    }
}
