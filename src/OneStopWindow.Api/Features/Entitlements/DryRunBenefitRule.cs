using Mediator;
using OneStopWindow.Api.Features.Procedures.BenefitRules;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>One entitlement the rule change affects.</summary>
/// <param name="FullName">Masked ("N. V. An").</param>
/// <param name="FromMonth">"yyyy-MM": the first month it changes — the rules' first month, or later when the entitlement starts later or
/// reaches an age limit later where the old and new rules differ.</param>
/// <param name="BeforeVnd">That month's amount by the current rules (imported: what the rules would pay); null: not payable by them.</param>
/// <param name="AfterVnd">That month's amount by the new rules (imported: what the rules would pay); null: not payable, see `afterNotPayableRule`.</param>
/// <param name="DifferenceVnd">After minus before, per month (a month not payable counts as 0).</param>
/// <param name="ImportedAmountVnd">Imported records: the amount paid, kept until a decision of the new ward; null for rule-based ones.</param>
public sealed record BenefitRuleDryRunLineResponse(Guid EntitlementId, string? WardCode, string FullName, string Status, string FromMonth, decimal? BeforeVnd,
    decimal? AfterVnd, decimal DifferenceVnd, string? AfterNotPayableRule, decimal? ImportedAmountVnd);

/// <summary>One ward's share of the effect (ward null: imported records not yet mapped to a ward).</summary>
public sealed record BenefitRuleDryRunWardResponse(string? WardCode, int Changed, int Unchanged, int ImportedKept, decimal MonthlyDifferenceVnd,
    decimal ImportedRulesDifferenceVnd);

/// <summary>The effect on every entitlement of the benefit whose months reach the rules' first month (all pages together).</summary>
/// <param name="Considered">Entitlements compared: Active, Suspended with owed months, or ending on or after the first month.</param>
/// <param name="Changed">Rule-based entitlements whose amount changes (listed in `changes`).</param>
/// <param name="Unchanged">Compared, amount unchanged (imported records whose rules' amount is unchanged included).</param>
/// <param name="ImportedKept">Imported records whose rules' amount changes but which keep their imported amount (listed in `importedKept`).</param>
/// <param name="SuspendedNotOwed">Suspended for a reason whose months are not owed (a reported death, a move): not compared.</param>
/// <param name="MonthlyDifferenceVnd">Sum of the changed entitlements' monthly differences (each in its own `fromMonth`).</param>
/// <param name="ImportedRulesDifferenceVnd">Sum of the imported records' rules' differences: what a decision of the new ward would change, not paid now.</param>
public sealed record BenefitRuleDryRunSummaryResponse(int Considered, int Changed, int Unchanged, int ImportedKept, int SuspendedNotOwed,
    decimal MonthlyDifferenceVnd, decimal ImportedRulesDifferenceVnd, IReadOnlyList<BenefitRuleDryRunWardResponse> Wards);

/// <summary>What saving the rules would do; nothing is saved.</summary>
/// <param name="FirstMonth">"yyyy-MM": the new rules' first month (`validFrom`).</param>
/// <param name="Changes">This page's changed rule-based entitlements, by id.</param>
/// <param name="ImportedKept">This page's imported records, listed apart: not changed automatically.</param>
/// <param name="NextAfter">Pass back as `after` for the next page of lines (the summary is the same on every page); null on the last.</param>
public sealed record BenefitRuleDryRunResponse(string ProcedureCode, string FirstMonth, BenefitRuleDryRunSummaryResponse Summary,
    IReadOnlyList<BenefitRuleDryRunLineResponse> Changes, IReadOnlyList<BenefitRuleDryRunLineResponse> ImportedKept, string ImportedNote, string? NextAfter);

/// <summary>The body of <see cref="AddBenefitRule"/>, checked the same way, plus the page of lines to return.</summary>
public sealed record DryRunBenefitRule(string Code, AddBenefitRuleRequest Request, Caller Caller, string? Ward, int? Limit, string? After)
    : IQuery<BenefitRuleDryRunResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        foreach (var e in ProposedRuleVersion.FieldErrors(Request)) yield return e;
        if (Ward is not null && (Ward.Length != 5 || !Ward.All(char.IsAsciiDigit))) yield return new("ward", "Mã xã/phường gồm 5 chữ số.");
        if (Limit is < 1 or > 200) yield return new("limit", "Số dòng mỗi trang từ 1 đến 200.");
        if (After is not null && !Guid.TryParse(After, out _)) yield return new("after", "Con trỏ trang không hợp lệ.");
    }
}

/// <summary>
/// The dry run of a rule change (issue 18 part 6): the stored rules against the stored rules plus the proposed version
/// (the latest ending where it starts, as saving does), applied by <see cref="RuleChange"/> to every entitlement of the
/// benefit whose months reach the version's first month. Read-only, computed in the request: entitlements are read in
/// keyset batches of <see cref="Batch"/> (two queries each), so memory holds one batch, the page of lines and the per-ward
/// totals, whatever the size of the register; every page recomputes the whole summary (≈ 200,000 entitlements for the
/// province: one pass per request, no state kept between pages). The lines returned are access-logged.
/// </summary>
public sealed class DryRunBenefitRuleHandler(Db db, PersonalData personalData, AccessRecorder accessLog)
    : IQueryHandler<DryRunBenefitRule, BenefitRuleDryRunResponse>
{
    internal const int Batch = 500;

    public const string ImportedNote = "Không tự động thay đổi — giữ mức đã nhập từ hệ thống cũ cho đến khi có quyết định của xã/phường mới; " +
        "beforeVnd/afterVnd là mức theo quy định hiện hành và theo quy định mới.";

    public async ValueTask<BenefitRuleDryRunResponse> Handle(DryRunBenefitRule query, CancellationToken ct)
    {
        var code = ProposedRuleVersion.Code(query.Code);
        var from = query.Request.ValidFrom!.Value;
        var proposed = ProposedRuleVersion.Parse(query.Request);
        var versions = await BenefitRuleStore.VersionsAsync(db, code, ct);
        var latest = ProposedRuleVersion.Latest(query.Code, versions, from);
        var stored = versions.Select(v => v.ToRuleSet()).ToList();
        var change = new RuleChange(new(stored),
            new([.. stored.Select(v => v.ValidFrom == latest.ValidFrom && v.ValidTo is null ? v with { ValidTo = from } : v), proposed]), from);

        var limit = query.Limit ?? 50;
        var pageAfter = query.After is null ? (Guid?)null : Guid.Parse(query.After);
        var lines = new List<(BenefitRuleDryRunLineResponse Line, bool Imported)>();
        var wards = new Dictionary<string, Ward>(StringComparer.Ordinal);
        var total = new Ward();
        var notOwed = 0;
        // Two keyset scans in the database's order of ids (never compared in C#: the engines order GUIDs their own way):
        // up to the page's cursor for the summary only, then after it for the summary and the page's lines.
        async Task ScanAsync(Guid? start, Guid? upTo, bool collect)
        {
            for (var after = start; ;)
            {
                var batch = await EntitlementStore.ReachingAsync(db, personalData, code, query.Ward, change.FirstMonth, after, upTo, Batch, ct);
                foreach (var (row, entitlement) in batch)
                {
                    if (row.State == EntitlementStatus.Suspended && EntitlementRules.Suspension(row.SuspensionReason) is not { Owed: true })
                    {
                        notOwed++;
                        continue;
                    }
                    if (change.EffectOn(entitlement) is not { } effect) continue;
                    var key = row.WardCode ?? "";
                    if (!wards.TryGetValue(key, out var ward)) wards[key] = ward = new Ward();
                    ward.Add(effect);
                    total.Add(effect);
                    if (collect && effect.Changes && lines.Count <= limit) lines.Add((Line(row, effect), effect.Imported));
                }
                if (batch.Count < Batch) return;
                after = batch[^1].Row.Id;
            }
        }
        if (pageAfter is not null) await ScanAsync(null, pageAfter, collect: false);
        await ScanAsync(pageAfter, null, collect: true);

        var page = lines.Take(limit).ToList();
        if (page.Count > 0) accessLog.Record(query.Caller, AccessKinds.RuleDryRun, "entitlement", page.Select(l => l.Line.EntitlementId));
        var summary = new BenefitRuleDryRunSummaryResponse(total.Changed + total.Unchanged + total.ImportedKept, total.Changed, total.Unchanged, total.ImportedKept,
            notOwed, total.Difference, total.ImportedDifference,
            wards.OrderBy(kv => kv.Key.Length == 0).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new BenefitRuleDryRunWardResponse(kv.Key.Length == 0 ? null : kv.Key, kv.Value.Changed, kv.Value.Unchanged, kv.Value.ImportedKept,
                    kv.Value.Difference, kv.Value.ImportedDifference)).ToList());
        return new(code, Months.Format(change.FirstMonth), summary, page.Where(l => !l.Imported).Select(l => l.Line).ToList(),
            page.Where(l => l.Imported).Select(l => l.Line).ToList(), ImportedNote, lines.Count > limit ? page[^1].Line.EntitlementId.ToString() : null);
    }

    private static BenefitRuleDryRunLineResponse Line(EntitlementRow row, RuleChangeEffect e) => new(row.Id, row.WardCode, PersonName.Mask(row.FullName),
        row.Status, Months.Format(e.Month), e.BeforeVnd, e.AfterVnd, e.DifferenceVnd, e.Imported ? e.After.RulesRefusal : e.After.NotPayableRule,
        e.Imported ? e.Before.Vnd : null);

    private sealed class Ward
    {
        public int Changed { get; private set; }
        public int Unchanged { get; private set; }
        public int ImportedKept { get; private set; }
        public decimal Difference { get; private set; }
        public decimal ImportedDifference { get; private set; }

        public void Add(RuleChangeEffect e)
        {
            if (!e.Changes) Unchanged++;
            else if (e.Imported)
            {
                ImportedKept++;
                ImportedDifference += e.DifferenceVnd;
            }
            else
            {
                Changed++;
                Difference += e.DifferenceVnd;
            }
        }
    }
}
