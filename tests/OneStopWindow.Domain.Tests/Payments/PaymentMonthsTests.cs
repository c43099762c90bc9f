using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;
using OneStopWindow.Domain.Payments;
using static OneStopWindow.Domain.Tests.Eligibility.SeedRules;

namespace OneStopWindow.Domain.Tests.Payments;

/// <summary>Which months of an entitlement a payment list pays (issue 19): no month unpaid, no month paid twice, none after the end or in a hold that is not owed.</summary>
public sealed class PaymentMonthsTests
{
    private static readonly BenefitRules Rules01 = Rules("BTXH-01");
    private static readonly HashSet<DateOnly> None = [];

    private static Entitlement Elderly(DateOnly start, DateOnly? end = null, EntitlementStatus status = EntitlementStatus.Active) =>
        new("BTXH-01", start, end, status, [new EntitlementBasis(start, AmountSource.Rules, null,
            new BenefitClaim("BTXH-01", RequestType.Start, D("1944-01-20"), ["elderly-poor-no-supporter"], 1, null, 0, null, null, null, null))]);

    private static Entitlement Imported(DateOnly start, long vnd) =>
        new("BTXH-01", start, null, EntitlementStatus.Active, [new EntitlementBasis(start, AmountSource.Imported, vnd, null)]);

    private static string[] Shown(IEnumerable<DueMonth> due) => [.. due.Select(d => Domain.Entitlements.Months.Format(d.Month))];

    [Fact]
    public void An_active_entitlement_started_this_month_is_due_the_list_month_and_the_months_between_at_the_rules_amount_Decree_20_Art_6()
    {
        var due = PaymentMonths.Due(Elderly(D("2026-12-01")), D("2026-12-01"), [], D("2027-01-01"), None, Rules01);
        Assert.Equal(["2026-12", "2027-01"], Shown(due));
        Assert.All(due, d => Assert.Equal(1_000_000, d.AmountVnd));   // 82: 2.0 × 500,000
        Assert.Equal(LineKinds.Regular, PaymentMonths.KindOf(due, D("2027-01-01")));
    }

    [Fact]
    public void Months_already_on_a_live_line_are_never_due_again()
    {
        var due = PaymentMonths.Due(Elderly(D("2026-10-01")), D("2026-10-01"), [], D("2027-01-01"), new HashSet<DateOnly> { D("2026-10-01"), D("2026-11-01"), D("2027-01-01") }, Rules01);
        Assert.Equal(["2026-12"], Shown(due));
        Assert.Equal(LineKinds.Arrears, PaymentMonths.KindOf(due, D("2027-01-01")));   // only a month before the list's
    }

    [Fact]
    public void A_month_paid_at_the_imported_amount_before_the_first_decision_raised_it_gets_the_difference_on_the_next_list_once()
    {
        // Imported at 750,000 from 2026-10; the ward's decision from 2026-12 pays the rules' 1,000,000 — 2026-12 was already approved at 750,000.
        var e = new Entitlement("BTXH-01", D("2026-10-01"), null, EntitlementStatus.Active,
        [
            new EntitlementBasis(D("2026-10-01"), AmountSource.Imported, 750_000, null),
            new EntitlementBasis(D("2026-12-01"), AmountSource.Rules, null,
                new BenefitClaim("BTXH-01", RequestType.Start, D("1944-01-20"), ["elderly-poor-no-supporter"], 1, null, 0, null, null, null, null)),
        ]);
        var listed = new HashSet<DateOnly> { D("2026-10-01"), D("2026-11-01"), D("2026-12-01") };
        var totals = new Dictionary<DateOnly, long> { [D("2026-10-01")] = 750_000, [D("2026-11-01")] = 750_000, [D("2026-12-01")] = 750_000 };
        var owed = PaymentMonths.Owed(e, D("2026-10-01"), [], D("2027-01-01"), listed, totals, Rules01);
        Assert.Equal([(D("2026-12-01"), 250_000L, true), (D("2027-01-01"), 1_000_000L, false)], owed.Select(d => (d.Month, d.AmountVnd, d.TopUp)));

        // Once the top-up is on a live line, nothing more; paid at more than the amount: not deducted.
        totals[D("2026-12-01")] = 1_000_000;
        Assert.Empty(PaymentMonths.TopUps(e, D("2026-10-01"), [], D("2027-01-01"), listed, totals, Rules01));
        totals[D("2026-12-01")] = 1_200_000;
        Assert.Empty(PaymentMonths.TopUps(e, D("2026-10-01"), [], D("2027-01-01"), listed, totals, Rules01));
        // Its base row given back by the payer while the top-up stands: the month is due again for the rest only.
        listed.Remove(D("2026-12-01"));
        totals[D("2026-12-01")] = 250_000;
        Assert.Equal([(D("2026-12-01"), 750_000L, false), (D("2027-01-01"), 1_000_000L, false)],
            PaymentMonths.Owed(e, D("2026-10-01"), [], D("2027-01-01"), listed, totals, Rules01).Select(d => (d.Month, d.AmountVnd, d.TopUp)));
        // A month inside a hold that is not owed gets no top-up.
        Assert.Empty(PaymentMonths.TopUps(e, D("2026-10-01"), PaymentMonths.Holds([new RegisterEvent("Suspended", D("2026-12-01"), false)]), D("2027-01-01"),
            new HashSet<DateOnly> { D("2026-12-01") }, new Dictionary<DateOnly, long> { [D("2026-12-01")] = 750_000 }, Rules01));
    }

    [Fact]
    public void Nothing_after_the_end_month_is_due()
    {
        var due = PaymentMonths.Due(Elderly(D("2026-10-01"), D("2026-11-01"), EntitlementStatus.Ended), D("2026-10-01"), [], D("2027-01-01"), None, Rules01);
        Assert.Equal(["2026-10", "2026-11"], Shown(due));
    }

    [Fact]
    public void While_suspended_nothing_from_the_suspension_month_on_is_due_and_once_resumed_an_owed_hold_is_paid_as_arrears()
    {
        var suspended = new RegisterEvent("Suspended", D("2026-11-01"), true);
        var whileHeld = PaymentMonths.Due(Elderly(D("2026-10-01"), status: EntitlementStatus.Suspended), D("2026-10-01"),
            PaymentMonths.Holds([suspended]), D("2027-01-01"), None, Rules01);
        Assert.Equal(["2026-10"], Shown(whileHeld));

        var resumed = PaymentMonths.Due(Elderly(D("2026-10-01")), D("2026-10-01"),
            PaymentMonths.Holds([suspended, new RegisterEvent("Resumed", D("2027-01-01"), true)]), D("2027-01-01"), new HashSet<DateOnly> { D("2026-10-01") }, Rules01);
        Assert.Equal(["2026-11", "2026-12", "2027-01"], Shown(resumed));
    }

    [Theory]
    [InlineData("death-reported")]
    [InlineData("moved")]
    public void A_hold_whose_reason_is_not_owed_loses_its_months_for_good(string reason)
    {
        var owed = EntitlementRules.Suspension(reason)!.Owed;
        Assert.False(owed);
        var holds = PaymentMonths.Holds([new RegisterEvent("Suspended", D("2026-11-01"), owed), new RegisterEvent("Resumed", D("2027-01-01"), owed)]);
        var due = PaymentMonths.Due(Elderly(D("2026-10-01")), D("2026-10-01"), holds, D("2027-01-01"), None, Rules01);
        Assert.Equal(["2026-10", "2027-01"], Shown(due));
        // Ended while still held: nothing from the suspension on.
        var ended = PaymentMonths.Due(Elderly(D("2026-10-01"), D("2026-12-01"), EntitlementStatus.Transferred), D("2026-10-01"),
            PaymentMonths.Holds([new RegisterEvent("Suspended", D("2026-11-01"), owed)]), D("2027-01-01"), None, Rules01);
        Assert.Equal(["2026-10"], Shown(ended));
    }

    [Fact]
    public void An_owed_hold_still_open_when_the_entitlement_ended_is_paid_up_to_the_end()
    {
        var due = PaymentMonths.Due(Elderly(D("2026-10-01"), D("2026-12-01"), EntitlementStatus.Ended), D("2026-10-01"),
            PaymentMonths.Holds([new RegisterEvent("Suspended", D("2026-11-01"), true)]), D("2027-01-01"), None, Rules01);
        Assert.Equal(["2026-10", "2026-11", "2026-12"], Shown(due));
    }

    [Fact]
    public void A_legacy_record_is_paid_from_the_month_it_was_imported_at_its_imported_amount()
    {
        var from = PaymentMonths.PayFrom(D("2019-05-01"), D("2026-12-09"));
        Assert.Equal(D("2026-12-01"), from);
        var due = PaymentMonths.Due(Imported(D("2019-05-01"), 540_000), from, [], D("2027-01-01"), None, Rules01);
        Assert.Equal(["2026-12", "2027-01"], Shown(due));
        Assert.All(due, d => Assert.Equal(540_000, d.AmountVnd));
        Assert.Equal(D("2027-02-01"), PaymentMonths.PayFrom(D("2027-02-01"), D("2026-12-09")));   // a later start month wins
    }

    [Fact]
    public void A_month_the_rules_make_unpayable_is_skipped()
    {
        // A claim the rules refuse (no group): no amount, nothing listed.
        var e = new Entitlement("BTXH-01", D("2026-12-01"), null, EntitlementStatus.Active, [new EntitlementBasis(D("2026-12-01"), AmountSource.Rules, null,
            new BenefitClaim("BTXH-01", RequestType.Start, D("1990-01-01"), [], 1, null, 0, null, null, null, null))]);
        Assert.Empty(PaymentMonths.Due(e, D("2026-12-01"), [], D("2027-01-01"), None, Rules01));
    }

    [Fact]
    public void A_second_suspension_before_a_resumption_keeps_the_first_hold_and_a_resumption_without_a_hold_changes_nothing()
    {
        var holds = PaymentMonths.Holds([
            new RegisterEvent("Resumed", D("2026-09-01"), true),
            new RegisterEvent("Suspended", D("2026-10-01"), false),
            new RegisterEvent("Suspended", D("2026-11-01"), true),
            new RegisterEvent("Resumed", D("2026-12-01"), false),
        ]);
        Assert.Equal([new Hold(D("2026-10-01"), D("2026-12-01"), false)], holds);
    }
}
