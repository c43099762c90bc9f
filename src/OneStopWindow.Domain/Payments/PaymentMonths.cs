using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Domain.Payments;

/// <summary>What a payment list line is.</summary>
public static class LineKinds
{
    /// <summary>Pays the list's own month (and any arrears with it).</summary>
    public const string Regular = "regular";

    /// <summary>Pays only months before the list's month (a decision signed after its effective month, a resolved hold).</summary>
    public const string Arrears = "arrears";

    /// <summary>A one-off payable (funeral support, emergency housing).</summary>
    public const string OneOff = "one-off";

    /// <summary>A legacy record the import held as a possible duplicate: shown apart with amount 0, not payable, for a decision.</summary>
    public const string HeldDuplicate = "held-duplicate";

    /// <summary>A line whose person has no payment method recorded: the list cannot be approved until one is.</summary>
    public const string UnknownMethod = "unknown";
}

/// <summary>One row of an entitlement's history that decides which months are held: a suspension (with its month and whether it is owed) or a resumption.</summary>
/// <param name="Kind">`Suspended` or `Resumed` (other kinds are ignored: the end month bounds the months by itself).</param>
public sealed record RegisterEvent(string Kind, DateOnly? Month, bool? Owed);

/// <summary>A suspension of an entitlement from <see cref="From"/> until the month it was resumed (<see cref="Until"/>, exclusive; null: never resumed).</summary>
public sealed record Hold(DateOnly From, DateOnly? Until, bool Owed);

/// <summary>A month an entitlement is due on a list, at the amount of that month.</summary>
/// <param name="TopUp">The month is already on an approved list at a lower amount: this is the difference only.</param>
public sealed record DueMonth(DateOnly Month, long AmountVnd, bool TopUp = false);

/// <summary>
/// Which months of an entitlement a payment list pays (issue 19): the continuity rule in one place. Months run from the
/// month the register pays from (the start month; for a legacy record, the month it was imported: the former system
/// paid the months before) to the end month or the list's month, whichever is earlier. A suspension recorded in month s
/// holds every month from s that is not already listed: a hold whose reason is not owed (death reported, moved —
/// <see cref="SuspensionReason.Owed"/>) loses its months for good; an owed hold (re-verification, other) gives them back
/// as arrears once resumed (or once the entitlement ends with them still before its end); while the entitlement is
/// suspended, nothing from the suspension's month on is due. Months already on a live line are never due again; a month
/// the rules make unpayable (no amount) is skipped. Amounts are <see cref="EntitlementAmount.AmountFor"/>'s.
/// </summary>
public static class PaymentMonths
{
    /// <summary>The holds of an entitlement from its history, oldest first (rows in the order they happened).</summary>
    public static IReadOnlyList<Hold> Holds(IEnumerable<RegisterEvent> history)
    {
        var holds = new List<Hold>();
        Hold? open = null;
        foreach (var e in history)
        {
            if (e.Month is not { } month) continue;
            var m = Months.First(month);
            if (e.Kind == "Suspended" && open is null) open = new Hold(m, null, e.Owed ?? true);
            else if (e.Kind == "Resumed" && open is not null)
            {
                holds.Add(open with { Until = m < open.From ? open.From : m });
                open = null;
            }
        }
        if (open is not null) holds.Add(open);
        return holds;
    }

    /// <param name="payFrom">The first month the register pays (see <see cref="PayFrom"/>).</param>
    /// <param name="listMonth">The list's month (first day): nothing later is due.</param>
    /// <param name="listed">Months already on a live line of any list (first days).</param>
    public static IReadOnlyList<DueMonth> Due(Entitlement e, DateOnly payFrom, IReadOnlyList<Hold> holds, DateOnly listMonth, IReadOnlySet<DateOnly> listed,
        BenefitRules rules)
    {
        var last = Months.First(listMonth);
        if (e.EndMonth is { } end && Months.First(end) < last) last = Months.First(end);
        var due = new List<DueMonth>();
        var suspended = e.Status == EntitlementStatus.Suspended;
        for (var m = Max(Months.First(payFrom), Months.First(e.StartMonth)); m <= last; m = m.AddMonths(1))
        {
            if (listed.Contains(m) || IsHeld(m, holds, suspended)) continue;
            if (EntitlementAmount.AmountFor(e, m, rules) is { Vnd: { } vnd } && vnd > 0)
                due.Add(new DueMonth(m, (long)decimal.Round(vnd, 0, MidpointRounding.AwayFromZero)));
        }
        return due;
    }

    /// <summary>
    /// The differences still owed on months already listed: a month on live lines whose amounts add up to less than the
    /// entitlement's amount for that month — an adjustment (a decision, a legacy record's first decision at the rules'
    /// amount) signed after that month's list was approved — is due again for the difference, as arrears on the next list
    /// ("corrections go on the next list"). Held months are skipped as <see cref="Due"/> skips them (a not-owed hold: never;
    /// a running suspension: once resumed). A month paid at more than its amount is not deducted here: recovering an
    /// overpayment is a decision of its own.
    /// </summary>
    /// <param name="listed">Months with a live base row (first days): only these get a top-up.</param>
    /// <param name="listedTotals">Per month (first day) to check, the sum of the live rows already listed for the entitlement, top-ups
    /// included; a caller may leave out months it knows unchanged (the generator: months listed from the entitlement's current version).</param>
    public static IReadOnlyList<DueMonth> TopUps(Entitlement e, DateOnly payFrom, IReadOnlyList<Hold> holds, DateOnly listMonth,
        IReadOnlySet<DateOnly> listed, IReadOnlyDictionary<DateOnly, long> listedTotals, BenefitRules rules)
    {
        var last = Months.First(listMonth);
        if (e.EndMonth is { } end && Months.First(end) < last) last = Months.First(end);
        var first = Max(Months.First(payFrom), Months.First(e.StartMonth));
        var suspended = e.Status == EntitlementStatus.Suspended;
        var due = new List<DueMonth>();
        foreach (var (m, paid) in listedTotals.OrderBy(t => t.Key))
        {
            if (!listed.Contains(m) || m < first || m > last || IsHeld(m, holds, suspended)) continue;
            if (EntitlementAmount.AmountFor(e, m, rules) is { Vnd: { } vnd } && (long)decimal.Round(vnd, 0, MidpointRounding.AwayFromZero) - paid is > 0 and var difference)
                due.Add(new DueMonth(m, difference, TopUp: true));
        }
        return due;
    }

    /// <summary>
    /// What a list pays an entitlement: its <see cref="Due"/> months — less any live top-up of the same month (its base row
    /// was given back by the payer, the top-up was not) — and its <see cref="TopUps"/>, in month order.
    /// </summary>
    public static IReadOnlyList<DueMonth> Owed(Entitlement e, DateOnly payFrom, IReadOnlyList<Hold> holds, DateOnly listMonth, IReadOnlySet<DateOnly> listed,
        IReadOnlyDictionary<DateOnly, long> listedTotals, BenefitRules rules)
    {
        var due = Due(e, payFrom, holds, listMonth, listed, rules)
            .Select(d => listedTotals.TryGetValue(d.Month, out var part) ? d with { AmountVnd = d.AmountVnd - part } : d)
            .Where(d => d.AmountVnd > 0);
        return [.. due.Concat(TopUps(e, payFrom, holds, listMonth, listed, listedTotals, rules)).OrderBy(d => d.Month)];
    }

    /// <summary>A line of months for list month <paramref name="listMonth"/>: arrears when it pays only earlier months, else regular.</summary>
    public static string KindOf(IReadOnlyCollection<DueMonth> months, DateOnly listMonth) =>
        months.Any(m => m.Month >= Months.First(listMonth)) ? LineKinds.Regular : LineKinds.Arrears;

    /// <summary>The first month the register pays: the start month, or for a legacy record the month it was imported, if later.</summary>
    public static DateOnly PayFrom(DateOnly startMonth, DateOnly? importedMonth) =>
        importedMonth is { } i && Months.First(i) > Months.First(startMonth) ? Months.First(i) : Months.First(startMonth);

    private static bool IsHeld(DateOnly month, IReadOnlyList<Hold> holds, bool suspended)
    {
        for (var i = 0; i < holds.Count; i++)
        {
            var h = holds[i];
            if (month < h.From) continue;
            // The suspension still running: everything from its month on waits, owed or not.
            if (h.Until is null && suspended && i == holds.Count - 1) return true;
            // Not owed: lost for good. Owed: due again once resumed (or ended with the hold open).
            if (!h.Owed && (h.Until is not { } until || month < until)) return true;
        }
        return false;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
