namespace OneStopWindow.Domain.Transitions;

/// <summary>
/// The roles that may take a transition from a given day on (a decree can move a competence, e.g. who decides), by the
/// legal text <paramref name="Source"/>. A temporary text also has an end: from <see cref="Until"/> on (the first day it no
/// longer applies) nobody holds the competence until a later entry gives it again.
/// </summary>
public sealed record DatedRoles(DateOnly From, IReadOnlySet<string> Roles, string Source)
{
    /// <summary>The first day the text no longer applies (exclusive end); null when the text sets no end.</summary>
    public DateOnly? Until { get; init; }

    public bool LapsedOn(DateOnly day) => Until is { } until && day >= until;
}

/// <summary>
/// One legal move of an aggregate: in which statuses, by which roles, to which status (null: the status stays).
/// <see cref="Roles"/> hold until the first <see cref="Dated"/> entry; each entry holds from its day on (until its end, if it has one).
/// </summary>
public sealed record Transition<TAction, TStatus>(TAction Action, IReadOnlySet<TStatus> From, TStatus? To, IReadOnlySet<string> Roles, string Rule)
    where TAction : struct, Enum
    where TStatus : struct, Enum
{
    public IReadOnlyList<DatedRoles> Dated { get; init; } = [];

    /// <summary>The dated entry that governs <paramref name="day"/> (lapsed or not); null before the first one.</summary>
    public DatedRoles? DatedOn(DateOnly day) => Dated.Where(d => d.From <= day).OrderBy(d => d.From).LastOrDefault();

    public IReadOnlySet<string> RolesOn(DateOnly day) => DatedOn(day) is { } d ? (d.LapsedOn(day) ? NoRoles : d.Roles) : Roles;

    /// <summary>The text under which <paramref name="role"/> held this transition and which has lapsed by <paramref name="day"/>, with no successor yet.</summary>
    public DatedRoles? LapsedFor(string role, DateOnly day) => DatedOn(day) is { } d && d.LapsedOn(day) && d.Roles.Contains(role) ? d : null;

    private static readonly IReadOnlySet<string> NoRoles = new HashSet<string>();
}

/// <summary>
/// Why a transition may not be taken (or that it may). <see cref="CompetenceExpired"/>: the role is the right one, but the
/// legal text that gave it the competence has ended (see <see cref="Transition{TAction,TStatus}.LapsedFor"/>).
/// </summary>
public enum TransitionVerdict { Allowed, RoleForbidden, NotFromThisStatus, CompetenceExpired }

/// <summary>
/// The transition table of one aggregate (dossiers; a later one, benefit entitlements, gets its own). Every status change
/// — a person's, an integration client's, the system's own steps — is checked here; the tests enumerate it and the API
/// description prints it.
/// </summary>
public sealed class TransitionTable<TAction, TStatus>
    where TAction : struct, Enum
    where TStatus : struct, Enum
{
    private readonly Dictionary<TAction, Transition<TAction, TStatus>> byAction;

    public TransitionTable(IReadOnlyList<Transition<TAction, TStatus>> rows)
    {
        Rows = rows;
        byAction = rows.ToDictionary(r => r.Action);   // throws on a second row for one action
        var missing = Enum.GetValues<TAction>().Where(a => !byAction.ContainsKey(a)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"No transition row for: {string.Join(", ", missing)}", nameof(rows));
    }

    public IReadOnlyList<Transition<TAction, TStatus>> Rows { get; }

    public Transition<TAction, TStatus> For(TAction action) => byAction[action];

    /// <summary>
    /// Role first (403 before 409: a caller who may never act learns nothing about the status); a role whose competence
    /// has lapsed may not act either, whatever the status.
    /// </summary>
    public TransitionVerdict Check(TAction action, TStatus from, string role, DateOnly day)
    {
        var t = For(action);
        if (!t.RolesOn(day).Contains(role)) return t.LapsedFor(role, day) is null ? TransitionVerdict.RoleForbidden : TransitionVerdict.CompetenceExpired;
        return t.From.Contains(from) ? TransitionVerdict.Allowed : TransitionVerdict.NotFromThisStatus;
    }
}
