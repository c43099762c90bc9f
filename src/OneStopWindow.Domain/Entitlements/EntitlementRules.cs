using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Domain.Entitlements;

/// <summary>Where an entitlement stands. Ended and Transferred are final: a new decision starts a new entitlement.</summary>
public enum EntitlementStatus { Active, Suspended, Ended, Transferred }

/// <summary>
/// The changes of an entitlement after it starts (a start is the approval itself, not a transition: see
/// <see cref="EntitlementRules"/>).
/// </summary>
public enum EntitlementAction
{
    /// <summary>A new decision of the chair (adjust, a group or level change, a decision of the new ward replacing an imported record).</summary>
    Adjust,
    Suspend,
    Resume,
    End,
    Transfer,

    /// <summary>Ward staff record a reported death: the entitlement ends with the month of death (not a decision: nothing is owed after a death).</summary>
    ReportDeath,
}

/// <summary>Why an entitlement is suspended, and whether the suspended months are owed.</summary>
/// <param name="Owed">True: the months are paid as arrears when the suspension is resolved; false: they are not owed.</param>
public sealed record SuspensionReason(string Code, bool Owed, string Rule);

/// <summary>
/// The entitlement's own transition table (issue 18), on the same generic engine as dossiers
/// (<see cref="TransitionTable{TAction,TStatus}"/>): staff, the chair's decisions and the system's own steps (role
/// <see cref="Roles.System"/>) alike are checked here; the tests enumerate it. Ward staff act on entitlements of their
/// own ward only (checked by the API before the table, so another ward's staff learn nothing).
/// </summary>
public static class EntitlementRules
{
    private static HashSet<EntitlementStatus> S(params EntitlementStatus[] s) => [.. s];
    private static HashSet<string> R(params string[] r) => [.. r];

    /// <summary>The statuses in which an entitlement still runs (pays, or is held and may pay again).</summary>
    public static readonly IReadOnlySet<EntitlementStatus> Open = S(EntitlementStatus.Active, EntitlementStatus.Suspended);

    public static readonly TransitionTable<EntitlementAction, EntitlementStatus> Transitions = new(
    [
        new(EntitlementAction.Adjust, S(EntitlementStatus.Active, EntitlementStatus.Suspended), null, R(Roles.WardChair),
            "A new decision of the commune chairman (adjust: new group or level; or the new ward's decision on an imported record) changes the " +
            "basis from the month it is signed (Decree 20/2021 Art. 8; Decree 147/2025); the months before keep their basis."),
        new(EntitlementAction.Suspend, S(EntitlementStatus.Active), EntitlementStatus.Suspended, R(Roles.WardOfficer, Roles.WardChair, Roles.System),
            "Payment is held with a reason from a closed list: re-verification (the months are owed, paid as arrears when resolved), " +
            "a reported death (not owed), a reported move (not owed here: the new ward pays from the month after the last month paid), other (owed)."),
        new(EntitlementAction.Resume, S(EntitlementStatus.Suspended), EntitlementStatus.Active, R(Roles.WardOfficer, Roles.WardChair, Roles.System),
            "The reason for the hold is resolved; owed months are paid as arrears. The system resumes the holds it placed itself when the " +
            "re-verification behind them is resolved."),
        new(EntitlementAction.End, S(EntitlementStatus.Active, EntitlementStatus.Suspended), EntitlementStatus.Ended, R(Roles.WardChair, Roles.System),
            "A stop decision of the commune chairman (Decree 20/2021; Decree 147/2025: paid up to and including its last month, nothing from the next), " +
            "a death, or the higher benefit replacing this one (Law on Social Insurance 2024 Art. 21: only the higher of the social pension and the allowance)."),
        new(EntitlementAction.ReportDeath, S(EntitlementStatus.Active, EntitlementStatus.Suspended), EntitlementStatus.Ended,
            R(Roles.WardOfficer, Roles.WardChair),
            "A death reported to the ward (death certificate extract, the village head's report) ends the entitlement with the month of death as its " +
            "last month: nothing is owed after it (Decree 20/2021 Art. 8: the allowance stops from the month after the death); the family is " +
            "offered funeral support (Decree 20/2021 Art. 11, procedure BTXH-03)."),
        new(EntitlementAction.Transfer, S(EntitlementStatus.Active, EntitlementStatus.Suspended), EntitlementStatus.Transferred, R(Roles.WardChair),
            "Change of residence (Decree 147/2025 step 4; DOMAIN §10.3): the new commune's chairman decides; the old ward's entitlement ends with the " +
            "last month it paid and the new ward's starts the month after, so no month is lost or paid twice."),
    ]);

    public static readonly IReadOnlyList<SuspensionReason> SuspensionReasons =
    [
        new("reverification", true, "Held for re-verification: owed, paid as arrears when resolved (issue 18; DOMAIN §10)."),
        new("death-reported", false, "After a death nothing more is owed; the family may apply for funeral support (Decree 20/2021 Art. 11)."),
        new("moved", false, "The new ward pays from the month after the last month paid here (Decree 147/2025 step 4)."),
        new("other", true, "A hold for another reason costs the person nothing: only a stop decision ends the entitlement."),
    ];

    /// <summary>Why an entitlement ends (closed list; staff-only).</summary>
    public static readonly IReadOnlyList<string> EndReasons = ["stop-decision", "death", "no-longer-eligible", "replaced-by-higher-benefit", "other"];

    public static SuspensionReason? Suspension(string? code) => SuspensionReasons.FirstOrDefault(r => r.Code == code);

    public static Transition<EntitlementAction, EntitlementStatus> For(EntitlementAction action) => Transitions.For(action);
}
