using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// A legal text that gives a role a competence over dossiers, for the period the text applies: <see cref="ValidFrom"/>
/// inclusive, <see cref="ValidTo"/> the first day it no longer applies (null: the text sets no end).
/// </summary>
public sealed record Competence(string Id, IReadOnlySet<string> Roles, string Source, string SourceEn, DateOnly ValidFrom, DateOnly? ValidTo)
{
    public bool InForceOn(DateOnly day) => ValidFrom <= day && (ValidTo is null || day < ValidTo);

    public bool ExpiredOn(DateOnly day) => ValidTo is { } end && day >= end;

    /// <summary>The competence as a dated entry of a transition row (<see cref="Transition{TAction,TStatus}.Dated"/>).</summary>
    public DatedRoles ToDated() => new(ValidFrom, Roles, Source) { Until = ValidTo };
}

/// <summary>
/// The competences the transition table and the catalogue both read (one definition: the decide rows carry these
/// entries, the catalogue shows their dates and whether they have expired).
/// </summary>
public static class Competences
{
    /// <summary>
    /// Decree 147/2025/NĐ-CP: the commune chairman decides the social-protection procedures moved from the district, from
    /// 1 Jul 2025 until 1 Mar 2027 — a temporary regime, a successor is expected (DOMAIN.md §2.4, §10 item 7). From 1 Mar
    /// 2027 approving or rejecting answers 422 naming this text until a successor entry is added here.
    /// </summary>
    public static readonly Competence CommuneChairDecree147 = new("nd-147-2025", new HashSet<string> { Dossiers.Roles.WardChair },
        "Nghị định 147/2025/NĐ-CP", "Decree 147/2025/ND-CP", new DateOnly(2025, 7, 1), new DateOnly(2027, 3, 1));

    /// <summary>Who decides on the merits (approve, reject), in date order.</summary>
    public static IReadOnlyList<Competence> Deciding { get; } = [CommuneChairDecree147];

    public static IReadOnlyList<Competence> All { get; } = [.. Deciding];

    public static Competence? ById(string id) => All.FirstOrDefault(c => c.Id == id);

    /// <summary>The deciding competence that governs <paramref name="day"/> (in force or lapsed); null before the first one.</summary>
    public static Competence? DecidingOn(DateOnly day) => Deciding.Where(c => c.ValidFrom <= day).OrderBy(c => c.ValidFrom).LastOrDefault();
}
