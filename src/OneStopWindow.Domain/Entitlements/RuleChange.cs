using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Domain.Entitlements;

/// <summary>
/// What a rule change does to one entitlement in <see cref="Month"/>: its amount under the rules before the change and
/// under the rules after it, the same month both times. For an imported period the amount paid stays the imported one
/// (<see cref="Before"/>.<see cref="MonthAmount.Vnd"/>): what changes is only what the rules would pay.
/// </summary>
public sealed record RuleChangeEffect(DateOnly Month, MonthAmount Before, MonthAmount After)
{
    /// <summary>Paid at an imported amount that month: not changed automatically, kept until a decision of the new ward.</summary>
    public bool Imported => Before.Source == AmountSource.Imported;

    /// <summary>The rules' amount before the change (rule-based: the amount paid; imported: what the rules would pay).</summary>
    public decimal? BeforeVnd => Imported ? Before.RulesVnd : Before.Vnd;

    public decimal? AfterVnd => Imported ? After.RulesVnd : After.Vnd;

    /// <summary>After minus before; a month the rules do not pay counts as 0.</summary>
    public decimal DifferenceVnd => (AfterVnd ?? 0) - (BeforeVnd ?? 0);

    public bool Changes => BeforeVnd != AfterVnd;
}

/// <summary>
/// A new rule version compared with the rules it replaces, for the dry run before it is saved (issue 18 part 6). Every
/// month is compared with itself only — old rules and new rules on the same claim, ages on the first day of that month —
/// so what would happen anyway (a child moving to the next age band, a person turning 80) is never taken for the effect
/// of the change. An entitlement changes from the first month, from the version's month (or its own start) on, in
/// which the two differ; between the months where an age limit of either rule set is reached, a basis or a version
/// starts, both amounts are constant, so only those months are compared.
/// </summary>
public sealed class RuleChange
{
    private readonly BenefitRules before;
    private readonly BenefitRules after;
    private readonly int[] ageLimits;
    private readonly DateOnly[] versionMonths;

    /// <param name="from">The first month the new rules apply (the new version's <c>validFrom</c>).</param>
    public RuleChange(BenefitRules before, BenefitRules after, DateOnly from)
    {
        this.before = before;
        this.after = after;
        FirstMonth = Months.First(from);
        var sets = before.Versions.Concat(after.Versions).ToList();
        ageLimits = [.. sets.SelectMany(AgeLimits).Distinct().Order()];
        versionMonths = [.. sets.SelectMany(v => new[] { v.ValidFrom, v.ValidTo }).OfType<DateOnly>().Select(Months.First).Distinct()];
    }

    public DateOnly FirstMonth { get; }

    /// <summary>
    /// The effect on <paramref name="e"/>: the first month it changes, or (unchanged) its first month from
    /// <see cref="FirstMonth"/>; null when none of its months is on or after <see cref="FirstMonth"/>.
    /// </summary>
    public RuleChangeEffect? EffectOn(Entitlement e)
    {
        var first = e.StartMonth > FirstMonth ? Months.First(e.StartMonth) : FirstMonth;
        if (e.EndMonth is { } end && Months.First(end) < first) return null;
        RuleChangeEffect? unchanged = null;
        foreach (var month in MonthsToCompare(e, first))
        {
            if (EntitlementAmount.AmountFor(e, month, before) is not { } b || EntitlementAmount.AmountFor(e, month, after) is not { } a) continue;
            var effect = new RuleChangeEffect(month, b, a);
            if (effect.Changes) return effect;
            unchanged ??= effect;
        }
        return unchanged;
    }

    private IEnumerable<DateOnly> MonthsToCompare(Entitlement e, DateOnly first)
    {
        var months = new SortedSet<DateOnly> { first };
        void Add(DateOnly month)
        {
            if (month > first && (e.EndMonth is not { } end || month <= Months.First(end))) months.Add(month);
        }
        foreach (var m in versionMonths) Add(m);
        foreach (var basis in e.Bases)
        {
            Add(Months.First(basis.FromMonth));
            if (basis.Claim is not { } claim) continue;
            foreach (var age in ageLimits)
            {
                // The first month whose first day the person is that age: the birthday's month, or the month after.
                var birthday = Months.First(claim.BeneficiaryBirthDate.AddYears(age));
                Add(birthday);
                Add(birthday.AddMonths(1));
            }
        }
        return months;
    }

    private static IEnumerable<int> AgeLimits(BenefitRuleSet set)
    {
        foreach (var g in set.Groups.Values)
        {
            if (g.MinAge is { } min) yield return min;
            if (g.MaxAge is { } max) yield return max;
            foreach (var b in g.Bands)
            {
                if (b.FromAge is { } from) yield return from;
                if (b.ToAge is { } to) yield return to;
            }
        }
        if (set.Pension is { } p)
        {
            yield return p.Age;
            yield return p.PoorHouseholdAge;
        }
    }
}
