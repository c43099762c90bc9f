using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Entitlements;
using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Domain.Tests.Entitlements;

/// <summary>
/// The entitlement's transition table, every cell: action × from-status × role (the system included). The expected
/// matrix is written out here, not derived from the table, so a changed row fails a test.
/// </summary>
public sealed class EntitlementRulesTests
{
    private static readonly DateOnly Day = new(2026, 11, 20);

    private static readonly string[] AllRoles = [.. Roles.All, Roles.System, Roles.Client, "anonymous"];

    /// <summary>Who may take each action, and from which statuses (Decree 20/2021; Decree 147/2025; issue 18).</summary>
    private static readonly Dictionary<EntitlementAction, (string[] Roles, EntitlementStatus[] From)> Expected = new()
    {
        // Adjust: a new decision of the commune chairman (Decree 147/2025), on a running entitlement.
        [EntitlementAction.Adjust] = ([Roles.WardChair], [EntitlementStatus.Active, EntitlementStatus.Suspended]),
        // Suspend: ward staff, and the system's own re-verification step.
        [EntitlementAction.Suspend] = ([Roles.WardOfficer, Roles.WardChair, Roles.System], [EntitlementStatus.Active]),
        [EntitlementAction.Resume] = ([Roles.WardOfficer, Roles.WardChair, Roles.System], [EntitlementStatus.Suspended]),
        // End: the chair's stop decision (Decree 20/2021, Decree 147/2025), or the system (a death, leaving every group).
        [EntitlementAction.End] = ([Roles.WardChair, Roles.System], [EntitlementStatus.Active, EntitlementStatus.Suspended]),
        [EntitlementAction.ReportDeath] = ([Roles.WardOfficer, Roles.WardChair], [EntitlementStatus.Active, EntitlementStatus.Suspended]),
        // Transfer: the new commune's chairman decides the change of residence (Decree 147/2025 step 4).
        [EntitlementAction.Transfer] = ([Roles.WardChair], [EntitlementStatus.Active, EntitlementStatus.Suspended]),
    };

    public static TheoryData<EntitlementAction, EntitlementStatus, string> Cells()
    {
        var data = new TheoryData<EntitlementAction, EntitlementStatus, string>();
        foreach (var a in Enum.GetValues<EntitlementAction>())
            foreach (var s in Enum.GetValues<EntitlementStatus>())
                foreach (var r in AllRoles)
                    data.Add(a, s, r);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Every_cell_of_the_table_is_allowed_or_refused_role_first(EntitlementAction action, EntitlementStatus from, string role)
    {
        var (roles, statuses) = Expected[action];
        var expected = !roles.Contains(role) ? TransitionVerdict.RoleForbidden      // 403 before 409: the role is checked first
            : statuses.Contains(from) ? TransitionVerdict.Allowed : TransitionVerdict.NotFromThisStatus;
        Assert.Equal(expected, EntitlementRules.Transitions.Check(action, from, role, Day));
    }

    [Fact]
    public void Ended_and_transferred_are_final()
    {
        foreach (var row in EntitlementRules.Transitions.Rows)
        {
            Assert.DoesNotContain(EntitlementStatus.Ended, row.From);
            Assert.DoesNotContain(EntitlementStatus.Transferred, row.From);
        }
    }

    [Theory]
    [InlineData("reverification", true)]   // held for re-verification: owed, paid as arrears (issue 18)
    [InlineData("death-reported", false)]  // after a death nothing more is owed
    [InlineData("moved", false)]           // the new ward pays from the month after the last paid (Decree 147/2025 step 4)
    [InlineData("other", true)]
    public void A_suspended_month_is_owed_or_not_by_its_reason(string reason, bool owed) =>
        Assert.Equal(owed, EntitlementRules.Suspension(reason)!.Owed);

    [Fact]
    public void Only_the_listed_suspension_reasons_exist() => Assert.Null(EntitlementRules.Suspension("child-hiv-poor"));
}
