namespace OneStopWindow.Domain.Payments;

/// <summary>
/// A beneficiary who does not collect the allowance for several months running may have died, moved or be unable to come:
/// after <see cref="ConsecutiveLists"/> monthly lines in a row reported unclaimed by the payer, the ward is asked to look
/// and suspend the payment (reason <c>other</c>: the months stay owed) — a proposal for staff to confirm, never an automatic
/// stop (issue 19, part 4; the three-month practice of Decree 20/2021/NĐ-CP Art. 9 and the payers' contracts under Decree
/// 176/2025 — article wording unconfirmed, so the count lives here once).
/// </summary>
public static class UnclaimedPayments
{
    /// <summary>The entitlement proposal's kind (<c>entitlement_proposal.kind</c>).</summary>
    public const string ProposalKind = "unclaimed";

    /// <summary>Monthly lines (one per list) in a row ending unclaimed before a suspension is proposed.</summary>
    public const int ConsecutiveLists = 3;

    /// <summary>The payer's wire name of the result that counts.</summary>
    public const string Unclaimed = "unclaimed";

    /// <param name="latestResults">The entitlement's reconciled lines' results, newest list first (at least <see cref="ConsecutiveLists"/> read).</param>
    public static bool ProposesSuspension(IReadOnlyList<string> latestResults) =>
        latestResults.Count >= ConsecutiveLists && latestResults.Take(ConsecutiveLists).All(r => r == Unclaimed);
}
