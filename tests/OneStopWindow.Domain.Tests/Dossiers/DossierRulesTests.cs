using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Domain.Tests.Dossiers;

public sealed class DossierRulesTests
{
    private static readonly DateOnly Day = new(2026, 12, 2);

    [Fact]
    public void Every_action_has_exactly_one_row() =>
        Assert.Equal(Enum.GetValues<DossierAction>().Order(), DossierRules.Table.Select(t => t.Action).Order());

    [Fact]
    public void Only_the_chair_decides()
    {
        foreach (var role in Roles.All)
        {
            Assert.Equal(role == Roles.WardChair, DossierRules.IsAllowed(DossierAction.Approve, DossierStatus.AwaitingDecision, role, Day));
            Assert.Equal(role == Roles.WardChair, DossierRules.IsAllowed(DossierAction.Reject, DossierStatus.AwaitingDecision, role, Day));
        }
    }

    [Theory]
    [InlineData(DossierStatus.ResultReady)]
    [InlineData(DossierStatus.Returned)]
    [InlineData(DossierStatus.Withdrawn)]
    public void No_withdrawal_after_a_decision(DossierStatus status) =>
        Assert.False(DossierRules.IsAllowed(DossierAction.Withdraw, status, Roles.Citizen, Day));

    [Fact]
    public void Terminal_statuses_allow_nothing_but_the_rating()
    {
        foreach (var status in new[] { DossierStatus.Returned, DossierStatus.Withdrawn })
            Assert.Equal([DossierAction.Rate], DossierRules.Table.Where(t => t.From.Contains(status)).Select(t => t.Action));
    }

    [Fact]
    public void A_result_ready_dossier_moves_only_by_returning_the_result()
    {
        Assert.Equal([DossierAction.ReturnResult],
            DossierRules.Table.Where(t => t.From.Contains(DossierStatus.ResultReady) && t.To is not null && t.To != DossierStatus.ResultReady).Select(t => t.Action));
    }

    [Fact]
    public void Every_status_is_reachable_from_submission()
    {
        var reached = new HashSet<DossierStatus> { DossierStatus.Submitted };
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

    /// <summary>The system's own steps, each with its row: what it may do, from where, to where.</summary>
    [Fact]
    public void Every_system_action_has_its_row()
    {
        var system = DossierRules.Table.Where(t => t.Roles.Contains(Roles.System))
            .ToDictionary(t => t.Action, t => (From: string.Join(",", t.From.Order()), To: t.To?.ToString() ?? "-"));
        var watched = string.Join(",", new[] { DossierStatus.Received, DossierStatus.AwaitingReverification, DossierStatus.InVerification,
            DossierStatus.PublicPosting, DossierStatus.AwaitingDecision }.Order());
        Assert.Equal(new Dictionary<DossierAction, (string, string)>
        {
            [DossierAction.Route] = ("Submitted", "Received"),
            [DossierAction.SendToReverification] = ("Submitted", "AwaitingReverification"),
            [DossierAction.EndPosting] = ("PublicPosting", "InVerification"),
            [DossierAction.MarkAtRisk] = (watched, "-"),
            [DossierAction.MarkOverdue] = (watched, "-"),
            // A promised date made a day off by a calendar notice (Labour Code 2019 Art. 112(3)): also before intake routed it.
            [DossierAction.MarkDelayNoticeNeeded] = (string.Join(",", new[] { DossierStatus.Submitted, DossierStatus.Received, DossierStatus.AwaitingReverification,
                DossierStatus.InVerification, DossierStatus.PublicPosting, DossierStatus.AwaitingDecision }.Order()), "-"),
        }, system);
        Assert.All(DossierRules.Table.Where(t => t.Roles.Contains(Roles.System)), t => Assert.Equal([Roles.System], t.Roles));   // no person takes a system step
    }

    [Fact]
    public void A_row_can_move_a_competence_from_a_day_on()
    {
        var table = new OneStopWindow.Domain.Transitions.TransitionTable<DossierAction, DossierStatus>(DossierRules.Table
            .Select(t => t.Action != DossierAction.Approve ? t : t with
            {
                Dated = [new(new DateOnly(2027, 3, 1), new HashSet<string> { "someone-else" }, "a later decree")],
            }).ToList());
        Assert.Equal(OneStopWindow.Domain.Transitions.TransitionVerdict.Allowed,
            table.Check(DossierAction.Approve, DossierStatus.AwaitingDecision, Roles.WardChair, new DateOnly(2027, 2, 28)));
        Assert.Equal(OneStopWindow.Domain.Transitions.TransitionVerdict.RoleForbidden,
            table.Check(DossierAction.Approve, DossierStatus.AwaitingDecision, Roles.WardChair, new DateOnly(2027, 3, 1)));
        Assert.Equal(OneStopWindow.Domain.Transitions.TransitionVerdict.NotFromThisStatus,
            table.Check(DossierAction.Approve, DossierStatus.Withdrawn, "someone-else", new DateOnly(2027, 3, 1)));
    }
}
