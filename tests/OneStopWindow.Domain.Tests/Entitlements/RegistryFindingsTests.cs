using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Domain.Tests.Entitlements;

/// <summary>What the population registry's answer proposes for an Active entitlement paid by ward 04795 (issue 18, part 3).</summary>
public sealed class RegistryFindingsTests
{
    private const string Ward = "04795";

    [Theory]
    [InlineData("deceased", "04828", "death")]   // a death outweighs a move
    [InlineData("deceased", null, "death")]
    [InlineData("alive", "04828", "move")]
    [InlineData("alive", Ward, null)]            // lives in the ward that pays
    [InlineData("alive", null, null)]            // residence unknown: nothing to conclude
    [InlineData("not-found", "04828", null)]
    public void The_answer_proposes_a_death_or_a_move_report_or_nothing(string status, string? residence, string? expected)
    {
        var change = RegistryFindings.Propose(new CitizenStatus(status, status == "deceased" ? new DateOnly(2026, 3, 2) : null, residence, null), Ward);
        Assert.Equal(expected, change?.Kind);
    }

    [Fact]
    public void Confirming_runs_the_staff_report_of_the_transition_table()
    {
        Assert.Equal(EntitlementAction.ReportDeath, RegistryFindings.Change(RegistryFindings.Death).Confirmation);
        Assert.Equal(EntitlementAction.Suspend, RegistryFindings.Change(RegistryFindings.Move).Confirmation);
    }
}
