namespace OneStopWindow.Domain.Transitions;

/// <summary>The roles that may take a transition from a given day on (a decree can move a competence, e.g. who decides).</summary>
/// <remarks>A competence that ends per procedure (Decree 147/2025) is the Domain's <c>Dossiers.Competences</c>, checked by the decision.</remarks>
public sealed record DatedRoles(DateOnly From, IReadOnlySet<string> Roles, string Source);

/// <summary>
/// One legal move of an aggregate: in which statuses, by which roles, to which status (null: the status stays).
/// <see cref="Roles"/> hold until the first <see cref="Dated"/> entry; each entry holds from its day on.
/// </summary>
public sealed record Transition<TAction, TStatus>(TAction Action, IReadOnlySet<TStatus> From, TStatus? To, IReadOnlySet<string> Roles, string Rule)
    where TAction : struct, Enum
    where TStatus : struct, Enum
{
    public IReadOnlyList<DatedRoles> Dated { get; init; } = [];

    public IReadOnlySet<string> RolesOn(DateOnly day) => Dated.Where(d => d.From <= day).OrderBy(d => d.From).LastOrDefault()?.Roles ?? Roles;
}

/// <summary>Why a transition may not be taken (or that it may).</summary>
public enum TransitionVerdict { Allowed, RoleForbidden, NotFromThisStatus }

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
    /// Role first (403 before 409: a caller who may never act learns nothing about the status).
    /// </summary>
    public TransitionVerdict Check(TAction action, TStatus from, string role, DateOnly day)
    {
        var t = For(action);
        if (!t.RolesOn(day).Contains(role)) return TransitionVerdict.RoleForbidden;
        return t.From.Contains(from) ? TransitionVerdict.Allowed : TransitionVerdict.NotFromThisStatus;
    }
}
