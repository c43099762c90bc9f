using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Documents;

/// <summary>The attachments and the checklist items still missing.</summary>
public sealed record DocumentListResponse(IReadOnlyList<DocumentResponse> Documents, IReadOnlyList<string> MissingDocuments);

public sealed record ListDocuments(string Code, Caller Caller, string? TrackingSecret) : IQuery<DocumentListResponse>;

public sealed class ListDocumentsHandler(Db db, DossierViews views) : IQueryHandler<ListDocuments, DocumentListResponse>
{
    public async ValueTask<DocumentListResponse> Handle(ListDocuments query, CancellationToken ct)
    {
        var (row, _) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct,
            Infrastructure.Auth.Scopes.ReadDocuments);
        var docs = await db.QueryAsync<DocumentRow>(Sql.List, new { DossierId = row.Id }, ct);
        return new(docs.Select(d => d.ToResponse()).ToList(), await views.MissingDocumentsAsync(row, ct));
    }

    internal static class Sql
    {
        public const string List = """
            SELECT id, document_code, file_name, content_type, size_bytes, sha256, storage_key, uploaded_role, uploaded_at
            FROM dossier_document WHERE dossier_id = @DossierId ORDER BY uploaded_at, id
            """;
    }
}
