using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Documents;

public sealed record DownloadDocument(string Code, Guid DocumentId, Caller Caller, string? TrackingSecret) : IQuery<DocumentDownload>;

public sealed record DocumentDownload(Stream Content, string ContentType, string FileName);

public sealed class DownloadDocumentHandler(Db db, IDocumentStore store, Infrastructure.AccessLog.AccessRecorder accessLog,
    ILogger<DownloadDocumentHandler> logger) : IQueryHandler<DownloadDocument, DocumentDownload>
{
    public async ValueTask<DocumentDownload> Handle(DownloadDocument query, CancellationToken ct)
    {
        var (row, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct,
            Infrastructure.Auth.Scopes.ReadDocuments);
        var doc = await db.SingleOrDefaultAsync<DocumentRow>(Sql.One, new { DossierId = row.Id, Id = query.DocumentId }, ct)
                  ?? throw ProblemException.NotFound("tệp đính kèm");
        // An upload places its file before its row commits, so a row without a file means the store lost it (or the
        // shared volume is not mounted on this node): a problem to answer and report, not a 500.
        var content = await store.OpenReadAsync(doc.StorageKey, ct);
        if (content is null)
        {
            logger.LogWarning("Document {DocumentId} of dossier {Code} has a row but no stored file", doc.Id, row.Code);
            throw new ProblemException(StatusCodes.Status404NotFound, "document-content-missing", "Không tìm thấy nội dung tệp",
                "Tệp đính kèm đã được ghi nhận nhưng nội dung không còn trong kho lưu trữ. Vui lòng báo bộ phận hỗ trợ.");
        }
        if (DossierAccess.ReadsSomeoneElses(access)) accessLog.RecordDossier(query.Caller, Infrastructure.AccessLog.AccessKinds.Document, row.Id);
        return new(content, doc.ContentType, DocumentFileName.Clean(doc.FileName, doc.ContentType));
    }

    internal static class Sql
    {
        public const string One = """
            SELECT id, document_code, file_name, content_type, size_bytes, sha256, storage_key, uploaded_role, uploaded_at
            FROM dossier_document WHERE dossier_id = @DossierId AND id = @Id
            """;
    }
}
