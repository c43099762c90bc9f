using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Documents;

public sealed record DownloadDocument(string Code, Guid DocumentId, Caller Caller, string? TrackingSecret) : IQuery<DocumentDownload>;

public sealed record DocumentDownload(Stream Content, string ContentType, string FileName);

public sealed class DownloadDocumentHandler(Db db, IDocumentStore store, Infrastructure.AccessLog.AccessRecorder accessLog)
    : IQueryHandler<DownloadDocument, DocumentDownload>
{
    public async ValueTask<DocumentDownload> Handle(DownloadDocument query, CancellationToken ct)
    {
        var (row, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct);
        var doc = await db.SingleOrDefaultAsync<DocumentRow>(Sql.One, new { DossierId = row.Id, Id = query.DocumentId }, ct)
                  ?? throw ProblemException.NotFound("tệp đính kèm");
        if (DossierAccess.ReadsSomeoneElses(access)) accessLog.RecordDossier(query.Caller, Infrastructure.AccessLog.AccessKinds.Document, row.Id);
        return new(await store.OpenReadAsync(doc.StorageKey, ct), doc.ContentType, doc.FileName);
    }

    internal static class Sql
    {
        public const string One = """
            SELECT id, document_code, file_name, content_type, size_bytes, sha256, storage_key, uploaded_role, uploaded_at
            FROM dossier_document WHERE dossier_id = @DossierId AND id = @Id
            """;
    }
}
