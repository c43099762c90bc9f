namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// Who reads a dossier. Who applies for social assistance is sensitive personal data (health, disability, poverty;
/// Law 91/2025/QH15 and Decree 356/2025, DOMAIN.md §7): every field and every timeline event has an audience.
/// </summary>
public enum Audience
{
    /// <summary>The signed-in citizen whose identity number is the applicant's.</summary>
    Applicant,

    /// <summary>Whoever holds the tracking secret (the applicant, or someone filing for them): the applicant's view, identity masked.</summary>
    SecretHolder,

    /// <summary>Staff of the handling ward, and provincial officers.</summary>
    Staff,

    /// <summary>An integration client with the dossiers:read scope (entitlements:read for the benefit register), within its procedures and wards.</summary>
    Client,
}

/// <summary>The parts of a dossier view that not every audience sees.</summary>
public enum DossierField
{
    /// <summary>Full name, date of birth, identity number, phone, e-mail, unmasked.</summary>
    ApplicantIdentity,

    /// <summary>The procedure's form fields (health, disability, household).</summary>
    FormFields,

    /// <summary>The officer handling the dossier.</summary>
    AssignedOfficer,

    /// <summary>The code of another open dossier of the same person.</summary>
    DuplicateLink,

    /// <summary>What the population registry and the poverty list said, and the eligibility hint drawn from it.</summary>
    RegistryFindings,

    /// <summary>Who acted on the timeline (the person's or client's id, not only the role).</summary>
    ActorIdentity,

    /// <summary>What the benefit rules would allow if the chair approved today (the same check as the decision).</summary>
    BenefitCheck,

    /// <summary>The delay notice (Form 04): its reason, the original and the new appointment date — written for the applicant.</summary>
    DelayNotice,

    /// <summary>The version of the working calendar the appointment date was computed on (explains a date after a notice changed the calendar).</summary>
    CalendarVersion,

    /// <summary>The promised date a calendar notice made a day off, for which the officer was asked for a delay notice.</summary>
    DelayNoticeNeededFor,

    /// <summary>
    /// The beneficiary's full name on the entitlements the dossier created or changed (the benefit register, issue 18);
    /// others read it masked ("N. T. Lan"), like the applicant's.
    /// </summary>
    BeneficiaryName,

    /// <summary>
    /// What an entitlement pays a month: divided by the standard level it gives the coefficient, and the coefficient names the
    /// group (DOMAIN §7: `child-hiv-poor` discloses health status) — so not for a holder of the paper's tracking secret, who
    /// does not see the dossier's decision either.
    /// </summary>
    BenefitAmount,
}

/// <summary>Which audience sees which field: the one table every view (dossier, timeline) is masked by.</summary>
public static class FieldAudiences
{
    private static readonly Dictionary<DossierField, HashSet<Audience>> Seen = new()
    {
        [DossierField.ApplicantIdentity] = [Audience.Applicant, Audience.Staff, Audience.Client],
        [DossierField.FormFields] = [Audience.Applicant, Audience.Staff, Audience.Client],
        [DossierField.AssignedOfficer] = [Audience.Staff],
        [DossierField.DuplicateLink] = [Audience.Staff],
        [DossierField.RegistryFindings] = [Audience.Staff],
        [DossierField.ActorIdentity] = [Audience.Staff],
        [DossierField.BenefitCheck] = [Audience.Staff],
        [DossierField.DelayNotice] = [Audience.Applicant, Audience.SecretHolder, Audience.Staff, Audience.Client],
        [DossierField.CalendarVersion] = [Audience.Staff],
        [DossierField.DelayNoticeNeededFor] = [Audience.Staff],
        [DossierField.BeneficiaryName] = [Audience.Applicant, Audience.Staff, Audience.Client],
        [DossierField.BenefitAmount] = [Audience.Applicant, Audience.Staff, Audience.Client],
    };

    public static bool Sees(this Audience audience, DossierField field) => Seen[field].Contains(audience);
}

/// <summary>
/// What each audience sees of a timeline event. Staff see every event with its note and actor. The applicant (and a
/// secret holder, and a client) see the status story and what they must do: an event kind is shown with its note, with
/// a fixed text in place of a note written for staff, or not at all. A kind not listed here is staff-only, so a new
/// event never leaks by default.
/// </summary>
public static class TimelineAudience
{
    public enum ApplicantView { Hidden, FixedText, Note }

    public sealed record Rule(ApplicantView View, string? Text = null);

    private static readonly Rule Hidden = new(ApplicantView.Hidden);
    private static readonly Rule Note = new(ApplicantView.Note);

    private static Rule Fixed(string text) => new(ApplicantView.FixedText, text);

    public static IReadOnlyDictionary<string, Rule> Rules { get; } = new Dictionary<string, Rule>(StringComparer.Ordinal)
    {
        ["Submitted"] = Note,
        // Intake's note may name a possible duplicate (another dossier of the same person): never the applicant's to read.
        ["RoutedToWard"] = Fixed("Hồ sơ đã được chuyển đến xã/phường xử lý."),
        ["SentToReverification"] = Fixed("Đang xác minh địa bàn cư trú để chuyển hồ sơ đến đúng xã/phường."),
        ["WardAssigned"] = Fixed("Đã xác định xã/phường xử lý hồ sơ."),
        ["Verified"] = Fixed("Hồ sơ đã được thẩm định."),
        ["SupplementRequested"] = Note,   // lists what the applicant must bring (Form 02)
        ["SupplementReceived"] = Note,
        ["DocumentAttached"] = Note,
        ["PostingStarted"] = Note,
        ["PostingEnded"] = Fixed("Đã hết thời gian niêm yết công khai."),
        ["ForwardedToChair"] = Fixed("Đã trình Chủ tịch UBND xem xét, quyết định."),
        ["Approved"] = Note,
        ["Rejected"] = Note,   // the reasons are the applicant's written reply
        ["ResultReturned"] = Note,
        ["Withdrawn"] = Note,
        ["RefusedAtReception"] = Note,   // Form 03: the reason and the explanation are written for the applicant
        ["Rated"] = Note,
        ["ReportedByApplicant"] = Fixed("Bạn đã báo hồ sơ này không do bạn đề nghị; xã/phường sẽ xác minh."),
        ["DelayNoticeIssued"] = Note,   // Form 04: the officer's apology with the reason and the new date
        ["Overdue"] = Note,
        ["ApologyIssued"] = Note,   // Form 04 as the deadline watch wrote it before issue 17 (old rows only)
        ["PaperIssued"] = Note,   // which paper, its number and SHA-256 (no personal data); who may open it is PaperRules' Readers
        // Staff only: who handles it, what the registries said, who objected, the deadline warnings, skipped steps.
        ["Claimed"] = Hidden,
        ["Assigned"] = Hidden,
        ["RegistryChecked"] = Hidden,
        ["ObjectionFiled"] = Hidden,
        ["AtRisk"] = Hidden,
        ["Escalated"] = Hidden,
        ["SystemStepSkipped"] = Hidden,
        ["MergedFrom"] = Hidden,
        ["DelayNoticeNeeded"] = Hidden,   // the officer's to-do after a calendar notice; the applicant hears from the delay notice itself
    };

    public static Rule For(string kind) => Rules.TryGetValue(kind, out var rule) ? rule : Hidden;

    /// <summary>The event as <paramref name="audience"/> sees it: null when hidden; else its note (or the fixed text).</summary>
    public static (bool Visible, string? Note) View(string kind, string? note, Audience audience)
    {
        if (audience == Audience.Staff) return (true, note);
        var rule = For(kind);
        return rule.View switch
        {
            ApplicantView.Note => (true, note),
            ApplicantView.FixedText => (true, rule.Text),
            _ => (false, null),
        };
    }
}
