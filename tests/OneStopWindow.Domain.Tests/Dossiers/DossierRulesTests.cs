using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Domain.Tests.Dossiers;

public sealed class DossierRulesTests
{
    [Fact]
    public void Every_action_has_exactly_one_row() =>
        Assert.Equal(Enum.GetValues<DossierAction>().Order(), DossierRules.Table.Select(t => t.Action).Order());

    [Fact]
    public void Only_the_chair_decides()
    {
        foreach (var role in Roles.All)
        {
            Assert.Equal(role == Roles.WardChair, DossierRules.IsAllowed(DossierAction.Approve, DossierStatus.AwaitingDecision, role));
            Assert.Equal(role == Roles.WardChair, DossierRules.IsAllowed(DossierAction.Reject, DossierStatus.AwaitingDecision, role));
        }
    }

    [Theory]
    [InlineData(DossierStatus.ResultReady)]
    [InlineData(DossierStatus.Returned)]
    [InlineData(DossierStatus.Withdrawn)]
    public void No_withdrawal_after_a_decision(DossierStatus status) =>
        Assert.False(DossierRules.IsAllowed(DossierAction.Withdraw, status, Roles.Citizen));

    [Fact]
    public void Terminal_statuses_allow_nothing_but_the_rating()
    {
        foreach (var status in new[] { DossierStatus.Returned, DossierStatus.Withdrawn })
            Assert.Equal([DossierAction.Rate], DossierRules.Table.Where(t => t.From.Contains(status)).Select(t => t.Action));
    }

    [Fact]
    public void Every_status_is_reachable_from_submission()
    {
        var reached = new HashSet<DossierStatus> { DossierStatus.Submitted };
        // Intake may also route to re-verification, which is not a table transition of its own.
        reached.Add(DossierStatus.AwaitingReverification);
        bool grew;
        do
        {
            grew = false;
            foreach (var t in DossierRules.Table.Where(t => t.To is not null && t.From.Overlaps(reached)))
                grew |= reached.Add(t.To!.Value);
        }
        while (grew);
        Assert.Equal(Enum.GetValues<DossierStatus>().Order(), reached.Order());
    }

    [Fact]
    public void The_clock_stops_while_a_supplement_is_awaited() =>
        Assert.DoesNotContain(DossierStatus.SupplementRequested, DossierStatuses.ClockRunning);

    [Fact]
    public void Every_status_maps_to_a_national_code_and_two_labels()
    {
        foreach (var s in Enum.GetValues<DossierStatus>())
        {
            Assert.InRange(s.NationalCode(), 1, 10);
            Assert.NotEqual(s.Label(false), s.Label(true));
        }
    }
}
