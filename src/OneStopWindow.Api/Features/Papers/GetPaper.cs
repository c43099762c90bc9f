using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Papers;

namespace OneStopWindow.Api.Features.Papers;

public sealed record GetPaper(string Code, Guid PaperId, Caller Caller, string? TrackingSecret) : IQuery<PaperFile>;

/// <summary>The stored PDF, or null content while it is still being rendered.</summary>
public sealed record PaperFile(byte[]? Content, string FileName, string? Sha256);

/// <summary>One paper as stored, with the dossier's access check; a paper the caller's audience may not read is a 404 like a missing one.</summary>
public sealed class GetPaperHandler(Db db, AccessRecorder accessLog) : IQueryHandler<GetPaper, PaperFile>
{
    public async ValueTask<PaperFile> Handle(GetPaper query, CancellationToken ct)
    {
        PaperAccess.RequireScope(query.Caller);
        var (row, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct, Scopes.ReadDocuments);
        var paper = await db.SingleOrDefaultAsync<PaperContentRow>(Sql.One, new { DossierId = row.Id, Id = query.PaperId }, ct);
        var definition = paper is null ? null : PaperRules.ByCode(paper.Kind);
        if (paper is null || definition is null || !definition.Readers.Contains(DossierAccess.AudienceOf(access)))
            throw ProblemException.NotFound("giấy tờ");
        if (paper.Content is not null && DossierAccess.ReadsSomeoneElses(access)) accessLog.RecordDossier(query.Caller, AccessKinds.Paper, row.Id);
        return new(paper.Content, $"{definition.Code}-{row.Code}.pdf", paper.Sha256);
    }

    private sealed record PaperContentRow
    {
        public string Kind { get; init; } = "";
        public byte[]? Content { get; init; }
        public string? Sha256 { get; init; }
    }

    internal static class Sql
    {
        public const string One = "SELECT kind, content, sha256 FROM dossier_paper WHERE dossier_id = @DossierId AND id = @Id";
    }
}
