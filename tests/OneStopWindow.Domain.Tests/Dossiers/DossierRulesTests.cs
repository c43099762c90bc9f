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
    [InlineData(DossierStatus.RefusedAtReception)]
    public void No_withdrawal_after_a_decision(DossierStatus status) =>
        Assert.False(DossierRules.IsAllowed(DossierAction.Withdraw, status, Roles.Citizen, Day));

    [Fact]
    public void Terminal_statuses_allow_nothing_but_the_rating()
    {
        foreach (var status in new[] { DossierStatus.Returned, DossierStatus.Withdrawn, DossierStatus.RefusedAtReception })
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

    /// <summary>
    /// The delay notice is the handling officer's act while the clock runs (Decree 61/2018, carried into Decree 118/2025;
    /// DOMAIN.md §1.7, §10 item 4): not the system's, not while a supplement is awaited, and it changes no status.
    /// </summary>
    [Fact]
    public void Only_the_ward_officer_records_the_delay_notice_while_the_clock_runs()
    {
        var row = DossierRules.For(DossierAction.RecordDelayNotice);
        Assert.Equal([Roles.WardOfficer], row.Roles);
        Assert.Null(row.To);
        Assert.DoesNotContain(DossierStatus.SupplementRequested, row.From);
        Assert.True(row.From.IsSubsetOf(DossierStatuses.ClockRunning));
        Assert.True(row.From.SetEquals([DossierStatus.Received, DossierStatus.InVerification, DossierStatus.PublicPosting, DossierStatus.AwaitingDecision]));
    }

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
            [DossierAction.EscalateWithoutNotice] = (watched, "-"),
            // A promised date made a day off by a calendar notice (Labour Code 2019 Art. 112(3)): also before intake routed it.
            [DossierAction.MarkDelayNoticeNeeded] = (string.Join(",", new[] { DossierStatus.Submitted, DossierStatus.Received, DossierStatus.AwaitingReverification,
                DossierStatus.InVerification, DossierStatus.PublicPosting, DossierStatus.AwaitingDecision }.Order()), "-"),
        }, system);
        Assert.All(DossierRules.Table.Where(t => t.Roles.Contains(Roles.System)), t => Assert.Equal([Roles.System], t.Roles));   // no person takes a system step
    }

    /// <summary>Form 03 (Circular 01/2018/TT-VPCP; DOMAIN.md §1.3 code 3, §1.4, §10 item 5): the ward officer, at reception, before a claim.</summary>
    [Fact]
    public void Refusal_at_reception_is_the_ward_officers_from_Received_only_Form_03()
    {
        foreach (var status in Enum.GetValues<DossierStatus>())
            foreach (var role in Roles.All.Append(Roles.System))
                Assert.Equal(status == DossierStatus.Received && role == Roles.WardOfficer,
                    DossierRules.IsAllowed(DossierAction.RefuseReception, status, role, Day));
        Assert.Equal(DossierStatus.RefusedAtReception, DossierRules.For(DossierAction.RefuseReception).To);
    }

    /// <summary>National status list (DOMAIN.md §1.3): 3 "Không được tiếp nhận", terminal, and no deadline runs after it.</summary>
    [Fact]
    public void A_refusal_at_reception_is_national_status_3_and_finished()
    {
        Assert.Equal(3, DossierStatus.RefusedAtReception.NationalCode());
        Assert.Equal("Không được tiếp nhận", DossierStatus.RefusedAtReception.Label(false));
        Assert.False(DossierStatus.RefusedAtReception.IsOpen());
        Assert.Contains(DossierStatus.RefusedAtReception, Deadline.Finished);
        Assert.Contains("'RefusedAtReception'", Deadline.Sql.FinishedList, StringComparison.Ordinal);
    }

    /// <summary>
    /// Decree 147/2025/NĐ-CP applies from 1 Jul 2025 until 1 Mar 2027 (DOMAIN.md §2.4, §10 item 7): 28 Feb 2027 is the chair's
    /// last day for the procedures it governs; from 1 Mar 2027 the chair is right by role but the competence has expired (a 422,
    /// not a 403), for approval and rejection. Another role never held it.
    /// </summary>
    [Theory]
    [InlineData(DossierAction.Approve)]
    [InlineData(DossierAction.Reject)]
    public void The_chairs_competence_under_Decree_147_2025_ends_on_1_March_2027(DossierAction action)
    {
        Assert.Null(Competences.LapsedFor(action, "BTXH-01", Roles.WardChair, new DateOnly(2025, 7, 1)));
        Assert.Null(Competences.LapsedFor(action, "BTXH-01", Roles.WardChair, new DateOnly(2027, 2, 28)));
        var lapsed = Competences.LapsedFor(action, "BTXH-01", Roles.WardChair, new DateOnly(2027, 3, 1));
        Assert.NotNull(lapsed);
        Assert.Equal("Nghị định 147/2025/NĐ-CP", lapsed.Source);
        Assert.Equal(new DateOnly(2027, 3, 1), lapsed.ValidTo);
        Assert.Null(Competences.LapsedFor(action, "BTXH-01", Roles.WardOfficer, new DateOnly(2027, 3, 1)));
        Assert.Null(Competences.LapsedFor(DossierAction.Claim, "BTXH-01", Roles.WardChair, new DateOnly(2027, 3, 1)));
        // The row itself is by role: the chair decides, and the procedure's dated text says until when.
        Assert.True(DossierRules.IsAllowed(action, DossierStatus.AwaitingDecision, Roles.WardChair, new DateOnly(2027, 3, 1)));
        Assert.True(Competences.CommuneChairDecree147.InForceOn(new DateOnly(2027, 2, 28)));
        Assert.False(Competences.CommuneChairDecree147.InForceOn(new DateOnly(2027, 3, 1)));
        Assert.True(Competences.CommuneChairDecree147.ExpiredOn(new DateOnly(2027, 3, 1)));
        Assert.False(Competences.CommuneChairDecree147.InForceOn(new DateOnly(2025, 6, 30)));
    }

    /// <summary>
    /// Only the procedures Decree 147/2025 moved to the commune lapse with it: the social pension is the commune chairman's under
    /// Decree 176/2025 Arts. 2–3 (DOMAIN.md §10 item 1), the disability level under the 2010 law, the poverty review under
    /// Decision 24/2021 — texts without an end.
    /// </summary>
    [Theory]
    [InlineData("BTXH-05")]
    [InlineData("BTXH-04")]
    [InlineData("GN-01")]
    public void Procedures_not_governed_by_Decree_147_are_still_decided_after_1_March_2027(string procedure)
    {
        Assert.False(Competences.DecidingOn(procedure, new DateOnly(2027, 3, 1))?.ExpiredOn(new DateOnly(2027, 3, 1)) ?? false);
        Assert.Null(Competences.LapsedFor(DossierAction.Approve, procedure, Roles.WardChair, new DateOnly(2027, 3, 1)));
        if (procedure == "BTXH-05") Assert.Equal("Nghị định 176/2025/NĐ-CP", Competences.DecidingOn(procedure, new DateOnly(2027, 3, 1))?.Source);
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
