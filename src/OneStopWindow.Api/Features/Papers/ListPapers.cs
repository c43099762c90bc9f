using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Papers;

namespace OneStopWindow.Api.Features.Papers;

public sealed record ListPapers(string Code, Caller Caller, string? TrackingSecret) : IQuery<PaperListResponse>;

/// <param name="Id">The paper's id (also printed in its footer).</param>
/// <param name="Kind">`receipt` (Form 01), `supplement-request` (02), `refusal` (03), `apology` (04), `control-sheet` (05), `decision`.</param>
/// <param name="Form">The form's number in Circular 01/2018/TT-VPCP, or null (the decision).</param>
/// <param name="IssuedAt">The event's time, which the paper is dated by.</param>
/// <param name="Ready">False while it is being rendered (its link answers 202 with Retry-After).</param>
/// <param name="Sha256">Hex SHA-256 of the stored PDF (as on the timeline); null until ready.</param>
/// <param name="Href">The PDF.</param>
public sealed record PaperResponse(Guid Id, string Kind, string? Form, string Title, DateTimeOffset IssuedAt, bool Ready, string? Sha256, string Href)
{
    /// <summary>The public verification address its QR prints (null for papers issued before verification existed).</summary>
    public string? VerifyHref { get; init; }
}

public sealed record PaperListResponse(string Code, IReadOnlyList<PaperResponse> Papers);

/// <summary>
/// A dossier's papers, with the dossier's own access check (<see cref="DossierAccess"/>: the documents:read scope for clients);
/// papers whose printed fields the caller's audience does not see (the decision for a secret holder) are left out.
/// </summary>
public sealed class ListPapersHandler(Db db, AccessRecorder accessLog, PersonalData personalData, Microsoft.Extensions.Options.IOptions<PapersOptions> options)
    : IQueryHandler<ListPapers, PaperListResponse>
{
    public async ValueTask<PaperListResponse> Handle(ListPapers query, CancellationToken ct)
    {
        PaperAccess.RequireScope(query.Caller);
        var (row, access) = await DossierAccess.LoadAsync(db, query.Code, query.Caller, query.TrackingSecret, ct, Scopes.ReadDocuments);
        var audience = DossierAccess.AudienceOf(access);
        var papers = (await db.QueryAsync<PaperListRow>(Sql.List, new { DossierId = row.Id }, ct))
            .Select(p => (Row: p, Definition: PaperRules.ByCode(p.Kind)))
            .Where(p => p.Definition is not null && p.Definition.Readers.Contains(audience))
            .Select(p => new PaperResponse(p.Row.Id, p.Row.Kind, p.Definition!.Form, p.Definition.Title, p.Row.IssuedAt, p.Row.Sha256 is not null,
                p.Row.Sha256, PaperQueue.Href(row.Code, p.Row.Id))
            {
                VerifyHref = p.Row.VerifyCode is { } v ? PaperComposer.VerifyUrl(options.Value.PublicBaseUrl, personalData.Open(v)) : null,
            })
            .ToList();
        if (DossierAccess.ReadsSomeoneElses(access)) accessLog.RecordDossier(query.Caller, AccessKinds.Paper, row.Id);
        return new(row.Code, papers);
    }

    private sealed record PaperListRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public DateTimeOffset IssuedAt { get; init; }
        public string? Sha256 { get; init; }
        public Sealed? VerifyCode { get; init; }
    }

    internal static class Sql
    {
        public const string List = "SELECT id, kind, issued_at, sha256, verify_code FROM dossier_paper WHERE dossier_id = @DossierId ORDER BY issued_at, id";
    }
}
