using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mediator;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Entitlements;
using OneStopWindow.Domain.Papers;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>The public check of a paper by the code in its QR (no account, no secret: the code is the capability).</summary>
public sealed record VerifyPaper(string Code) : IQuery<PaperVerificationResponse>;

/// <param name="Paper">`receipt`, `supplement-request`, `refusal`, `apology`, `control-sheet`, `decision`.</param>
/// <param name="Number">The decision's number ("12/QĐ-UBND"), or null.</param>
/// <param name="Issuer">Who issued it ("Ủy ban nhân dân Phường Hòa Bình").</param>
/// <param name="Holder">The person the paper is about, masked ("N. T. Lan"); never the identity number, group or reason.</param>
/// <param name="Sha256">Hex SHA-256 of the stored PDF (as on the dossier's timeline); null while it is being rendered.</param>
/// <param name="HashMatches">The stored file's SHA-256, computed again now, is the one recorded.</param>
/// <param name="Standing">`issued` (a one-stop form), `in-force`, `replaced` (a later decision changed the benefit), `suspended`, `ended`, `transferred`, or `pending` (not rendered yet).</param>
/// <param name="StandingText">The standing in a sentence, in Vietnamese.</param>
/// <param name="Dossier">The receipt only: the dossier's progress, so its holder can follow it without an account.</param>
/// <param name="PdfHref">The PDF, under its dossier: for the applicant (token or tracking secret), the handling ward and authorised systems.</param>
public sealed record PaperVerificationResponse(string Paper, string? Form, string Title, string? Number, DateTimeOffset IssuedAt, string Issuer,
    string DossierCode, string Holder, string? Sha256, bool HashMatches, string Standing, string StandingText, PaperSignature? Signature,
    PaperFollow? Dossier, string PdfHref);

/// <param name="Status">The dossier's status code (as the dossier view has it).</param>
/// <param name="StatusLabel">Its Vietnamese label.</param>
/// <param name="AppointmentDate">The date the result is due (after any delay notice).</param>
public sealed record PaperFollow(string Status, string StatusLabel, DateOnly AppointmentDate, DateTimeOffset ReceivedAt);

/// <summary>
/// Finds the paper by the SHA-256 of the code (the only index), compares the code itself in constant time, and answers
/// what a person holding the paper may learn from it: what it is, who issued it and when, its hash and signature check,
/// whether it still stands, and the holder's name masked. Nothing is looked up for a code of the wrong shape.
/// </summary>
public sealed class VerifyPaperHandler(Db db, PersonalData personalData, PaperCertificate certificate) : IQueryHandler<VerifyPaper, PaperVerificationResponse>
{
    public async ValueTask<PaperVerificationResponse> Handle(VerifyPaper query, CancellationToken ct)
    {
        if (!PaperVerifyCodes.IsWellFormed(query.Code)) throw NotFound();
        var row = await db.SingleOrDefaultAsync<VerifyRow>(Sql.ByKey, new { Key = PaperVerifyCodes.Key(query.Code) }, ct);
        if (row?.VerifyCode is not { } sealedCode
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(personalData.Open(sealedCode)), Encoding.ASCII.GetBytes(query.Code)))
            throw NotFound();

        var paper = new PaperRow { Id = row.Id, DossierId = row.DossierId, Kind = row.Kind, EventId = row.EventId, IssuedAt = row.IssuedAt, Facts = row.Facts, Sha256 = row.Sha256 };
        var source = await PaperSources.LoadAsync(db, personalData, paper, ct);
        var def = source.Definition;
        var d = source.Dossier;
        var holder = PersonName.Mask(def.Kind == PaperKind.Decision ? source.Facts.BeneficiaryName ?? d.ApplicantName : d.ApplicantName);
        var number = def.Kind == PaperKind.Decision && source.Facts.Decision is { } decision && decision.TryGetProperty("number", out var n) ? n.GetString() : null;

        var matches = row.Content is not null && row.Sha256 is not null
            && string.Equals(Convert.ToHexStringLower(SHA256.HashData(row.Content)), row.Sha256, StringComparison.Ordinal);
        var (standing, text) = row.Content is null ? ("pending", "Giấy đang được phát hành; vui lòng thử lại sau ít phút.")
            : def.Kind == PaperKind.Decision ? await DecisionStandingAsync(d.Id, ct)
            : ("issued", "Giấy đã được phát hành và lưu đúng như bản này.");
        var follow = def.Kind == PaperKind.Receipt ? new PaperFollow(d.Status, d.State.Label(english: false), d.AppointmentDate, d.ReceivedAt) : null;
        return new(def.Code, def.Form, def.Title, number, row.IssuedAt, PaperComposer.IssuerName(source), d.Code, holder, row.Sha256, matches,
            standing, text, row.Content is null ? null : PaperSignatureCheck.Check(row.Content, certificate.Certificate), follow, PaperQueue.Href(d.Code, row.Id));
    }

    /// <summary>A decision stands while its basis is the entitlement's latest and the entitlement is active.</summary>
    private async Task<(string, string)> DecisionStandingAsync(Guid dossierId, CancellationToken ct)
    {
        var basis = (await db.QueryAsync<BasisRow>(Sql.Basis, new { DossierId = dossierId }, ct)).FirstOrDefault();
        if (basis is null) return ("in-force", "Quyết định đang có hiệu lực.");
        var later = (await db.QueryAsync<LaterRow>(Sql.Later, new { basis.EntitlementId, basis.FromMonth }, ct)).FirstOrDefault();
        if (later is not null)
            return ("replaced", $"Quyết định đã được thay thế từ tháng {Month(later.FromMonth)}"
                + (later.DecisionNumber is { } num ? $" bởi Quyết định số {num}." : " bởi một quyết định sau."));
        return Enum.Parse<EntitlementStatus>(basis.Status) switch
        {
            EntitlementStatus.Ended => ("ended", "Chế độ theo quyết định này đã thôi hưởng" + (basis.EndMonth is { } e ? $" từ sau tháng {Month(e)}." : ".")),
            EntitlementStatus.Transferred => ("transferred", "Chế độ đã chuyển về nơi cư trú mới; quyết định này không còn được chi trả tại đây."),
            EntitlementStatus.Suspended => ("suspended", "Quyết định còn hiệu lực, nhưng việc chi trả đang tạm dừng."),
            _ when basis.EndMonth is { } e => ("in-force", $"Quyết định có hiệu lực đến hết tháng {Month(e)}."),
            _ => ("in-force", "Quyết định đang có hiệu lực."),
        };
    }

    private static string Month(string month) => Months.Parse(month) is { } m ? m.ToString("MM/yyyy", CultureInfo.InvariantCulture) : month;

    private static ProblemException NotFound() => new(StatusCodes.Status404NotFound, "paper-not-found", "Không tìm thấy giấy tờ",
        "Mã kiểm tra không đúng hoặc giấy không do hệ thống này phát hành. Vui lòng quét lại mã QR trên giấy.");

    private sealed record VerifyRow
    {
        public Guid Id { get; init; }
        public Guid DossierId { get; init; }
        public string Kind { get; init; } = "";
        public Guid EventId { get; init; }
        public DateTimeOffset IssuedAt { get; init; }
        public Sealed Facts { get; init; }
        public string? Sha256 { get; init; }
        public byte[]? Content { get; init; }
        public Sealed? VerifyCode { get; init; }
    }

    private sealed record BasisRow
    {
        public Guid EntitlementId { get; init; }
        public string FromMonth { get; init; } = "";
        public string Status { get; init; } = "";
        public string? EndMonth { get; init; }
    }

    private sealed record LaterRow
    {
        public string FromMonth { get; init; } = "";
        public string? DecisionNumber { get; init; }
    }

    internal static class Sql
    {
        public const string ByKey = """
            SELECT id, dossier_id, kind, event_id, issued_at, facts, sha256, content, verify_code FROM dossier_paper WHERE verify_key = @Key
            """;
        public const string Basis = """
            SELECT b.entitlement_id, b.from_month, e.status, e.end_month
            FROM entitlement_basis b JOIN entitlement e ON e.id = b.entitlement_id
            WHERE b.dossier_id = @DossierId
            ORDER BY b.from_month
            """;
        public const string Later = """
            SELECT from_month, decision_number FROM entitlement_basis
            WHERE entitlement_id = @EntitlementId AND from_month > @FromMonth
            ORDER BY from_month
            """;
    }
}
