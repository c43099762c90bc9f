using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Domain.Papers;

/// <summary>The papers a procedure issues (issue 20): the one-stop forms of Circular 01/2018/TT-VPCP and the chair's decision.</summary>
public enum PaperKind { Receipt, SupplementRequest, Refusal, Apology, ControlSheet, Decision }

/// <summary>
/// One kind of paper: its code in URLs and rows, the form's number and title, its page size, which timeline events issue
/// it, and who may read it.
/// </summary>
/// <param name="Form">The form's number in Circular 01/2018/TT-VPCP (null for the decision, which is not one of its forms).</param>
/// <param name="IssuedBy">The timeline event kinds that issue this paper.</param>
/// <param name="Readers">Who may read it: the audiences of the fields it prints (see <see cref="FieldAudiences"/>).</param>
public sealed record PaperDefinition(PaperKind Kind, string Code, string? Form, string Title, bool A4, IReadOnlyList<string> IssuedBy,
    IReadOnlySet<Audience> Readers);

/// <summary>
/// Which event issues which paper, and who reads it. Source: Circular 01/2018/TT-VPCP, Forms 01-05 (DOMAIN.md §1.4: A5 for
/// electronic use and printing); the decision on A4 as an administrative decision (Decree 30/2020/NĐ-CP, Appendix I).
/// Forms 01-04 are addressed to the applicant and print their name, the dates and what to do — never the identity
/// number, the group or the benefit — so whoever holds the dossier's tracking secret (the applicant, or the person who
/// filed for them) may read them. The decision names the beneficiary and the amount: the audiences of
/// <see cref="DossierField.BeneficiaryName"/> and <see cref="DossierField.BenefitAmount"/> (not a secret holder). The
/// control sheet lists hand-overs by role and time (no officer's identity), for those who see the dossier unmasked.
/// </summary>
public static class PaperRules
{
    private static readonly HashSet<Audience> Everyone = [Audience.Applicant, Audience.SecretHolder, Audience.Staff, Audience.Client];

    private static HashSet<Audience> SeeingAll(params DossierField[] fields) =>
        Everyone.Where(a => fields.All(f => a.Sees(f))).ToHashSet();

    public static IReadOnlyList<PaperDefinition> All { get; } =
    [
        new(PaperKind.Receipt, "receipt", "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", false, ["Submitted"], Everyone),
        new(PaperKind.SupplementRequest, "supplement-request", "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", false, ["SupplementRequested"], Everyone),
        new(PaperKind.Refusal, "refusal", "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", false, ["RefusedAtReception"], Everyone),
        new(PaperKind.Apology, "apology", "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", false, ["DelayNoticeIssued"], Everyone),
        new(PaperKind.ControlSheet, "control-sheet", "05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", false, ["Approved", "Rejected"],
            SeeingAll(DossierField.ApplicantIdentity)),
        new(PaperKind.Decision, "decision", null, "QUYẾT ĐỊNH", true, ["Approved"],
            SeeingAll(DossierField.BeneficiaryName, DossierField.BenefitAmount)),
    ];

    public static PaperDefinition Of(PaperKind kind) => All.Single(p => p.Kind == kind);

    public static PaperDefinition? ByCode(string code) => All.SingleOrDefault(p => p.Code == code);

    /// <summary>The papers an event of <paramref name="eventKind"/> issues (often none).</summary>
    public static IEnumerable<PaperDefinition> IssuedBy(string eventKind) => All.Where(p => p.IssuedBy.Contains(eventKind));

    /// <summary>The timeline event that records a paper's issue, with its SHA-256 in the note.</summary>
    public const string IssuedEvent = "PaperIssued";
}
