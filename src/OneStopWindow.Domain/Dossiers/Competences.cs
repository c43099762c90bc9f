namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// A legal text that gives a role a competence over dossiers, for the period the text applies: <see cref="ValidFrom"/>
/// inclusive, <see cref="ValidTo"/> the first day it no longer applies (null: the text sets no end).
/// </summary>
/// <param name="Procedures">The procedures whose decision this text gives to <paramref name="Roles"/> (the catalogue's legal bases cite it by <paramref name="Id"/>).</param>
public sealed record Competence(string Id, IReadOnlySet<string> Roles, string Source, string SourceEn, DateOnly ValidFrom, DateOnly? ValidTo,
    IReadOnlySet<string> Procedures)
{
    public bool InForceOn(DateOnly day) => ValidFrom <= day && (ValidTo is null || day < ValidTo);

    public bool ExpiredOn(DateOnly day) => ValidTo is { } end && day >= end;
}

/// <summary>
/// The dated competences to decide, per procedure: the decision (approve, reject) and the catalogue both read them (one
/// definition; the catalogue shows their dates and whether they have expired). A procedure no entry names is decided under
/// a text not recorded here (the disability level under the 2010 law, the poverty review), so only
/// the role of the transition table applies to it.
/// </summary>
public static class Competences
{
    /// <summary>
    /// Decree 147/2025/NĐ-CP: the commune chairman decides the social-protection procedures moved from the district, from
    /// 1 Jul 2025 until 1 Mar 2027 — a temporary regime, a successor is expected (DOMAIN.md §2.4, §10 item 7). From 1 Mar
    /// 2027 approving or rejecting a dossier of these procedures answers 422 naming this text until a successor entry is added here.
    /// The procedures are those whose catalogue entry cites it (the monthly allowance, its change of residence, the funeral support).
    /// </summary>
    public static readonly Competence CommuneChairDecree147 = new("nd-147-2025", new HashSet<string> { Dossiers.Roles.WardChair },
        "Nghị định 147/2025/NĐ-CP", "Decree 147/2025/ND-CP", new DateOnly(2025, 7, 1), new DateOnly(2027, 3, 1),
        new HashSet<string> { "BTXH-01", "BTXH-02", "BTXH-03" });

    /// <summary>
    /// Decree 176/2025/NĐ-CP Arts. 2–3: the commune chairman decides the social pension, from 1 Jul 2025, with no end set
    /// (DOMAIN.md §10 item 1).
    /// </summary>
    public static readonly Competence CommuneChairSocialPension = new("nd-176-2025", new HashSet<string> { Dossiers.Roles.WardChair },
        "Nghị định 176/2025/NĐ-CP", "Decree 176/2025/ND-CP", new DateOnly(2025, 7, 1), null, new HashSet<string> { "BTXH-05" });

    /// <summary>The actions a deciding competence governs.</summary>
    public static IReadOnlySet<DossierAction> DecidingActions { get; } = new HashSet<DossierAction> { DossierAction.Approve, DossierAction.Reject };

    /// <summary>Who decides on the merits (approve, reject), in date order.</summary>
    public static IReadOnlyList<Competence> Deciding { get; } = [CommuneChairDecree147, CommuneChairSocialPension];

    public static IReadOnlyList<Competence> All { get; } = [.. Deciding];

    public static Competence? ById(string id) => All.FirstOrDefault(c => c.Id == id);

    /// <summary>
    /// The deciding competence that governs <paramref name="procedure"/> on <paramref name="day"/> (in force or lapsed); null when
    /// no dated text governs the procedure (or before the first one).
    /// </summary>
    public static Competence? DecidingOn(string procedure, DateOnly day) =>
        Deciding.Where(c => c.Procedures.Contains(procedure) && c.ValidFrom <= day).OrderBy(c => c.ValidFrom).LastOrDefault();

    /// <summary>
    /// The text under which <paramref name="role"/> took <paramref name="action"/> on <paramref name="procedure"/> and which has
    /// ended by <paramref name="day"/> with no successor: the decision is then refused (422), whatever the role's row says.
    /// </summary>
    public static Competence? LapsedFor(DossierAction action, string procedure, string role, DateOnly day) =>
        DecidingActions.Contains(action) && DecidingOn(procedure, day) is { } c && c.ExpiredOn(day) && c.Roles.Contains(role) ? c : null;
}
