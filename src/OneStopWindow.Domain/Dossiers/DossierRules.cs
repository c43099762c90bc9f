using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Domain.Dossiers;

/// <summary>The roles, spelled as in tokens, configuration and the token command.</summary>
public static class Roles
{
    public const string Citizen = "citizen";
    public const string WardOfficer = "ward-officer";
    public const string WardChair = "ward-chair";
    public const string ProvincialOfficer = "provincial-officer";
    public const string Administrator = "administrator";
    public const string System = "system";

    /// <summary>An integration client (another provincial system) authenticated by API key; never minted as a token.</summary>
    public const string Client = "client";

    public static readonly IReadOnlyList<string> All = [Citizen, WardOfficer, WardChair, ProvincialOfficer, Administrator];
}

public enum DossierAction
{
    Route,
    SendToReverification,
    AssignWard,
    Claim,
    RefuseReception,
    Assign,
    RecordVerification,
    RequestSupplement,
    SubmitSupplement,
    StartPosting,
    EndPosting,
    FileObjection,
    ForwardToChair,
    Approve,
    Reject,
    ReturnResult,
    Withdraw,
    ReportMisuse,
    Rate,
    RecordDelayNotice,
    MarkAtRisk,
    MarkOverdue,
    EscalateWithoutNotice,
    MarkDelayNoticeNeeded,
}

/// <summary>
/// The one table of legal transitions (DOMAIN.md §1.3–1.7, Decree 118/2025 and Decree 147/2025): the code
/// checks it — people, integration clients and the system's own steps (role <see cref="Roles.System"/>) alike —, the
/// tests enumerate it and the API description prints it. The "applicant" of citizen actions is whoever owns the dossier
/// (token) or holds its tracking secret.
/// </summary>
public static class DossierRules
{
    private static HashSet<DossierStatus> S(params DossierStatus[] s) => [.. s];
    private static HashSet<string> R(params string[] r) => [.. r];

    private static readonly HashSet<DossierStatus> BeforeDecision = S(DossierStatus.Submitted, DossierStatus.Received,
        DossierStatus.AwaitingReverification, DossierStatus.InVerification, DossierStatus.SupplementRequested,
        DossierStatus.PublicPosting, DossierStatus.AwaitingDecision);

    /// <summary>Where the working-day clock runs and the deadline watch looks (not while a supplement is awaited).</summary>
    private static readonly HashSet<DossierStatus> Watched = S(DossierStatus.Received, DossierStatus.AwaitingReverification,
        DossierStatus.InVerification, DossierStatus.PublicPosting, DossierStatus.AwaitingDecision);

    /// <summary>Where the clock runs and a ward handles the dossier (a dossier awaiting re-verification is the province's).</summary>
    private static readonly HashSet<DossierStatus> WardClockRunning = S(DossierStatus.Received, DossierStatus.InVerification,
        DossierStatus.PublicPosting, DossierStatus.AwaitingDecision);

    /// <summary>Where an appointment date is promised and running: the watched statuses and a dossier not yet routed.</summary>
    private static readonly HashSet<DossierStatus> PromisedDate = [.. Watched, DossierStatus.Submitted];

    public static readonly TransitionTable<DossierAction, DossierStatus> Transitions = new(
    [
        new(DossierAction.Route, S(DossierStatus.Submitted), DossierStatus.Received, R(Roles.System),
            "Intake routes the dossier to the ward of the applicant's residence."),
        new(DossierAction.SendToReverification, S(DossierStatus.Submitted), DossierStatus.AwaitingReverification, R(Roles.System),
            "Intake sends a dossier whose residence cannot be tied to one current ward (unknown or split former commune) to the province."),
        new(DossierAction.AssignWard, S(DossierStatus.AwaitingReverification), DossierStatus.Received, R(Roles.ProvincialOfficer),
            "The province settles an uncertain residence and sends the dossier to one ward."),
        new(DossierAction.Claim, S(DossierStatus.Received), DossierStatus.InVerification, R(Roles.WardOfficer),
            "An officer of the handling ward takes the dossier."),
        new(DossierAction.RefuseReception, S(DossierStatus.Received), DossierStatus.RefusedAtReception, R(Roles.WardOfficer),
            "Before anyone claims it, an officer of the handling ward refuses to receive a dossier outside the ward's competence or not what the " +
            "procedure covers, with the written reasons of Form 03 (Circular 01/2018/TT-VPCP; national status 3). Terminal."),
        new(DossierAction.Assign, S(DossierStatus.Received, DossierStatus.InVerification), DossierStatus.InVerification, R(Roles.WardOfficer, Roles.WardChair),
            "The ward hands the dossier to a named officer."),
        new(DossierAction.RecordVerification, S(DossierStatus.InVerification), null, R(Roles.WardOfficer),
            "Findings of the verification (population database, documents, visit) go on the record."),
        new(DossierAction.RequestSupplement, S(DossierStatus.Received, DossierStatus.InVerification), DossierStatus.SupplementRequested, R(Roles.WardOfficer, Roles.ProvincialOfficer),
            "Once per dossier, listing everything missing at once (Form 02); a second request needs a provincial override with a reason. The clock pauses."),
        new(DossierAction.SubmitSupplement, S(DossierStatus.SupplementRequested), DossierStatus.InVerification, R(Roles.Citizen),
            "The applicant supplies what was asked; the clock resumes with the remaining working days."),
        new(DossierAction.StartPosting, S(DossierStatus.InVerification), DossierStatus.PublicPosting, R(Roles.WardOfficer),
            "Only for procedures that require public posting; the period ends by itself after its working days."),
        new(DossierAction.EndPosting, S(DossierStatus.PublicPosting), DossierStatus.InVerification, R(Roles.System),
            "The posting period has passed; objections filed during it stay on the dossier."),
        new(DossierAction.FileObjection, S(DossierStatus.PublicPosting), null, R(Roles.Citizen, Roles.WardOfficer, Roles.WardChair, Roles.ProvincialOfficer, Roles.Administrator, "anonymous"),
            "Anyone may object while the dossier is posted."),
        new(DossierAction.ForwardToChair, S(DossierStatus.InVerification), DossierStatus.AwaitingDecision, R(Roles.WardOfficer),
            "After verification (and posting, where required) the officer proposes a decision to the chair."),
        new(DossierAction.Approve, S(DossierStatus.AwaitingDecision), DossierStatus.ResultReady, R(Roles.WardChair),
            "The commune chairman decides (for the procedures of Decree 147/2025 only while it applies: see Competences); the benefit runs from the month of signature."),
        new(DossierAction.Reject, S(DossierStatus.AwaitingDecision), DossierStatus.ResultReady, R(Roles.WardChair),
            "A refusal is a written reply with reasons: the outcome Denied of a ready result (same competence as approval)."),
        new(DossierAction.ReturnResult, S(DossierStatus.ResultReady), DossierStatus.Returned, R(Roles.WardOfficer),
            "The result is handed over or sent."),
        new(DossierAction.Withdraw, BeforeDecision, DossierStatus.Withdrawn, R(Roles.Citizen),
            "The applicant may withdraw before a decision."),
        new(DossierAction.ReportMisuse, BeforeDecision, null, R(Roles.Citizen),
            "The person a dossier was filed for, signed in, who did not file it, tells the ward it was not their request (status unchanged; they may also withdraw it)."),
        new(DossierAction.Rate, S(DossierStatus.Returned, DossierStatus.Withdrawn, DossierStatus.RefusedAtReception), null, R(Roles.Citizen),
            "After completion — also after a withdrawal or a refusal at reception — the applicant rates the service once (Decision 766/QĐ-TTg)."),
        new(DossierAction.RecordDelayNotice, WardClockRunning, null, R(Roles.WardOfficer),
            "The result will be late: no later than one working day before the appointment date the handling officer sends the apology with " +
            "the reason and the one new date, a working day after the current one (Form 04; Decree 61/2018, carried into Decree 118/2025). " +
            "Once per dossier; the appointment date moves to the new one."),
        new(DossierAction.MarkAtRisk, Watched, null, R(Roles.System),
            "The deadline watch warns the handling officer a set number of working days before the appointment date (status unchanged)."),
        new(DossierAction.MarkOverdue, Watched, null, R(Roles.System),
            "The appointment date (or the date a delay notice set) has passed: overdue and escalated to the province (status unchanged). " +
            "The system sends no apology and sets no new date: that is the officer's notice, before the deadline."),
        new(DossierAction.EscalateWithoutNotice, Watched, null, R(Roles.System),
            "The last working day for a delay notice has passed and none was sent: the dossier is escalated to the province before its " +
            "deadline (Decree 61/2018, carried into Decree 118/2025; status unchanged). Also when a calendar notice made the date a day off " +
            "and no notice can be sent any more."),
        new(DossierAction.MarkDelayNoticeNeeded, PromisedDate, null, R(Roles.System),
            "A recorded calendar notice made the promised appointment date a day off: the date is kept and the officer is asked " +
            "for a delay notice (Form 04), staff only (Labour Code 2019 Art. 112(3); Decree 61/2018; status unchanged)."),
    ]);

    public static IReadOnlyList<Transition<DossierAction, DossierStatus>> Table => Transitions.Rows;

    public static Transition<DossierAction, DossierStatus> For(DossierAction action) => Transitions.For(action);

    /// <summary>Whether <paramref name="role"/> may take <paramref name="action"/> from <paramref name="from"/> on <paramref name="day"/>.</summary>
    public static bool IsAllowed(DossierAction action, DossierStatus from, string role, DateOnly day) =>
        Transitions.Check(action, from, role, day) == TransitionVerdict.Allowed;
}
