using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>An approved decision, as the register needs it (the chair's Approve, inside its transaction).</summary>
/// <param name="PersonIdHash">The beneficiary's keyed hash (null: a beneficiary without an identity number).</param>
/// <param name="PayeeIdHash">Who receives a one-off payment: the applicant.</param>
/// <param name="Claim">What the rules were applied to; stored sealed so each month's amount is computed, never stored.</param>
public sealed record DecisionFacts(Guid DossierId, string ProcedureCode, string? PersonIdHash, string? PayeeIdHash, string FullName, string WardCode,
    string DecisionNumber, BenefitDecision Decision, BenefitClaim? Claim, EntitlementActor Actor);

/// <summary>A legacy record the import keeps paying (entitlement <c>continues</c>).</summary>
public sealed record ImportedRecord(Guid BeneficiaryId, string IdHash, string FullName, string BenefitCode, string? WardCode, string StartMonth, long AmountVnd,
    string? Group, DateOnly BirthDate, string? DecisionNumber);

/// <summary>
/// Fills the register: every approved monthly benefit creates or changes an entitlement, in the approval's own
/// transaction (Decree 147/2025: paid from the month the chair signs); the legacy import adds its records; one-off
/// benefits become single payables. Every status change goes through <see cref="EntitlementTransitions"/>.
/// </summary>
public sealed class EntitlementRegister(PersonalData personalData)
{
    /// <summary>The monthly benefits the register holds: the social allowance and the social pension.</summary>
    public static readonly IReadOnlySet<string> MonthlyBenefits = new HashSet<string>(StringComparer.Ordinal) { "BTXH-01", "BTXH-05" };

    /// <summary>A person receives only the higher of the social pension and the allowance (Law on Social Insurance 2024 Art. 21; DOMAIN §10.1).</summary>
    private static readonly IReadOnlyDictionary<string, string[]> OnlyTheHigher = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["BTXH-01"] = ["BTXH-05"],
        ["BTXH-05"] = ["BTXH-01"],
    };

    /// <summary>The benefits that cannot be paid beside <paramref name="benefit"/> for the same months: itself and its "only the higher" counterparts.</summary>
    public static IReadOnlyCollection<string> ExclusiveWith(string benefit) => [benefit, .. OnlyTheHigher.GetValueOrDefault(benefit) ?? []];

    /// <summary>The benefit a procedure grants: BTXH-02 (change of residence) continues the social allowance, BTXH-01.</summary>
    public static string BenefitOf(string procedureCode) => procedureCode.Trim().ToUpperInvariant() is "BTXH-02" ? "BTXH-01" : procedureCode.Trim().ToUpperInvariant();

    public async Task RecordDecisionAsync(DbWrite tx, DecisionFacts f, DateTimeOffset now)
    {
        switch (f.Decision)
        {
            case BenefitGranted { Amount.Monthly: false } oneOff:
                await tx.ExecuteAsync(Sql.InsertPayable, new
                {
                    Id = Guid.CreateVersion7(),
                    f.DossierId,
                    Benefit = f.ProcedureCode,
                    f.PersonIdHash,
                    f.PayeeIdHash,
                    Ward = f.WardCode,
                    Month = Months.Format(Months.First(oneOff.FromMonth)),
                    Amount = (long)oneOff.Amount.Vnd,
                    Number = f.DecisionNumber,
                    Now = now,
                });
                return;
            case BenefitGranted granted when MonthlyBenefits.Contains(BenefitOf(f.ProcedureCode)):
                await GrantAsync(tx, f, Months.First(granted.FromMonth), now);
                return;
            case BenefitStopped stopped when MonthlyBenefits.Contains(BenefitOf(f.ProcedureCode)):
                await StopAsync(tx, f, Months.First(stopped.LastMonth), now);
                return;
        }
    }

    private async Task GrantAsync(DbWrite tx, DecisionFacts f, DateOnly from, DateTimeOffset now)
    {
        var benefit = BenefitOf(f.ProcedureCode);
        var basis = new StoredBasis(AmountSource.Rules, null, f.Claim is { } claim ? EntitlementStore.SealClaim(personalData, claim) : null, f.DossierId,
            f.DecisionNumber);
        var change = new EntitlementChange(Month: Months.Format(from), DossierId: f.DossierId, DecisionNumber: f.DecisionNumber,
            Note: $"Quyết định {f.DecisionNumber}.");
        var open = f.PersonIdHash is null ? [] : await EntitlementStore.OpenOfPersonAsync(tx, f.PersonIdHash, [benefit]);

        // Only the higher of the social pension and the allowance: the decider granted this one because it is higher, so
        // the other ends with the month before this one starts — or, when that month is already on an approved payment
        // list, with that month (the end's clamp), and this one then starts the month after (StartAsync): never both
        // benefits for one month. Ended first, so the start sees the end as it finally is.
        if (f.PersonIdHash is not null && OnlyTheHigher.TryGetValue(benefit, out var others))
            foreach (var other in await EntitlementStore.OpenOfPersonAsync(tx, f.PersonIdHash, others))
            {
                var end = Later(from.AddMonths(-1), Months.Parse(other.StartMonth)!.Value.AddMonths(-1));
                await ApplyAsync(tx, other, EntitlementAction.End, f.Actor, change with
                {
                    Month = Months.Format(end),
                    Reason = "replaced-by-higher-benefit",
                    UpdateSql = Sql.SetEnd,
                }, now);
            }

        if (f.ProcedureCode.Trim().ToUpperInvariant() == "BTXH-02")
        {
            // Change of residence (Decree 147/2025 step 4; DOMAIN §10.3): every open entitlement of the person ends with
            // the last month paid; the new ward's starts the month after — no gap, no overlap.
            var last = from.AddMonths(-1);
            foreach (var old in open)
            {
                if (Months.Parse(old.StartMonth) > last)
                    throw Refusal("last-month-paid-before-start",
                        $"Tháng cuối cùng nơi cũ đã chi trả ({Months.Format(last)}) trước tháng bắt đầu hưởng ở nơi cũ ({old.StartMonth}): cần kiểm tra lại.");
                await ApplyAsync(tx, old, EntitlementAction.Transfer, f.Actor, change with
                {
                    Month = Months.Format(last),
                    Reason = "moved",
                    UpdateSql = Sql.SetEnd,
                }, now);
            }
            await StartAsync(tx, f, benefit, from, basis, change, now);
        }
        else
        {
            // Start or adjust: the open entitlement of this ward (or an imported one not yet tied to a ward) takes the new
            // basis from the signing month; one in another ward moves only by a change of residence.
            var here = open.FirstOrDefault(o => o.WardCode is null || o.WardCode == f.WardCode);
            if (here is null && open.FirstOrDefault() is { } elsewhere)
                throw Refusal("entitlement-in-other-ward",
                    $"Người hưởng đang hưởng {benefit} tại xã/phường {elsewhere.WardCode}: chuyển nơi hưởng bằng thủ tục BTXH-02 (Nghị định 147/2025/NĐ-CP), " +
                    "không mở thêm một khoản hưởng trùng tháng.");
            if (here is null) await StartAsync(tx, f, benefit, from, basis, change, now);
            else
            {
                await EntitlementStore.PutBasisAsync(tx, here.Id, Months.Format(from), basis, now);
                await ApplyAsync(tx, here, EntitlementAction.Adjust, f.Actor, change with
                {
                    UpdateSql = Sql.SetBasis,
                    UpdateArgs = new { Ward = f.WardCode, Source = nameof(AmountSource.Rules) },
                }, now);
            }
        }

    }

    private static async Task StopAsync(DbWrite tx, DecisionFacts f, DateOnly last, DateTimeOffset now)
    {
        if (f.PersonIdHash is null) return;
        var open = await EntitlementStore.OpenOfPersonAsync(tx, f.PersonIdHash, [BenefitOf(f.ProcedureCode)]);
        // Only this ward's own entitlement: a stop decision does not reach into another ward's register.
        if (open.FirstOrDefault(o => o.WardCode is null || o.WardCode == f.WardCode) is not { } target) return;
        var end = Later(last, Months.Parse(target.StartMonth)!.Value.AddMonths(-1));
        await ApplyAsync(tx, target, EntitlementAction.End, f.Actor, new EntitlementChange(Months.Format(end), "stop-decision", null,
            $"Quyết định {f.DecisionNumber}: thôi hưởng, chi trả đến hết tháng {Months.Format(end)}.", f.DossierId, f.DecisionNumber)
        {
            UpdateSql = Sql.SetEnd,
        }, now);
    }

    /// <summary>
    /// A new entitlement from the signing month — or, when an earlier entitlement of the person already paid that month (a
    /// stop or an end whose last month is this month or later), from the month after that last month: never two payments
    /// of a monthly benefit for one month (found by the continuity property test: a stop and a new start signed in the
    /// same month).
    /// </summary>
    private static async Task StartAsync(DbWrite tx, DecisionFacts f, string benefit, DateOnly from, StoredBasis basis, EntitlementChange change,
        DateTimeOffset now)
    {
        if (f.PersonIdHash is not null && Months.Parse(await tx.SingleOrDefaultAsync<string>(Sql.LastPaidOfPerson, new
        {
            IdHash = f.PersonIdHash,
            Benefits = MonthlyBenefits.ToList(),
            Closed = new[] { nameof(EntitlementStatus.Ended), nameof(EntitlementStatus.Transferred) },
        })) is { } lastPaid && lastPaid >= from)
            from = lastPaid.AddMonths(1);
        var start = Months.Format(from);
        await EntitlementTransitions.StartAsync(tx, new NewEntitlement(Guid.CreateVersion7(), f.PersonIdHash, f.FullName, benefit, f.WardCode, start,
            basis, null, f.DossierId), f.Actor, change with { Month = start }, now);
    }

    /// <summary>An imported record still paid becomes an entitlement at its imported amount (the rules' amount is shown beside it).</summary>
    public async Task ImportAsync(DbWrite tx, ImportedRecord r, DateTimeOffset now)
    {
        var benefit = BenefitOf(r.BenefitCode);
        if (!MonthlyBenefits.Contains(benefit) || Months.Parse(r.StartMonth) is not { } start) return;
        var claim = new BenefitClaim(benefit, RequestType.Start, r.BirthDate, r.Group is { Length: > 0 } g ? [g] : [], 1, null, 0, null, null, null, null);
        var basis = new StoredBasis(AmountSource.Imported, r.AmountVnd, EntitlementStore.SealClaim(personalData, claim), null, r.DecisionNumber);
        await EntitlementTransitions.StartAsync(tx, new NewEntitlement(Guid.CreateVersion7(), r.IdHash, r.FullName, benefit, r.WardCode, Months.Format(start),
            basis, r.BeneficiaryId, null), EntitlementActor.System("import"),
            new EntitlementChange(DecisionNumber: r.DecisionNumber, Note: "Nhập từ danh sách của hệ thống cũ: chi trả theo mức đã nhập đến khi có quyết định của xã/phường mới."),
            now, announce: false);
    }

    /// <summary>A re-verified imported record is tied to its ward: its open entitlement is that ward's from now on (no status change).</summary>
    public static async Task AssignImportedWardAsync(DbWrite tx, Guid beneficiaryId, string ward, EntitlementActor actor, string note, DateTimeOffset now)
    {
        var ids = await tx.QueryAsync<Guid>(Sql.OpenOfBeneficiary, new { Id = beneficiaryId, Open = EntitlementRules.Open.Select(s => s.ToString()).ToList() });
        foreach (var id in ids)
        {
            await tx.ExecuteAsync(Sql.SetWard, new { Id = id, Ward = ward, Now = now });
            var row = await EntitlementStore.LoadAsync(tx, id);
            await EntitlementTransitions.RecordAsync(tx, id, "WardAssigned", row!.State, actor, new EntitlementChange(Note: note), now);
        }
    }

    /// <summary>
    /// Two legacy records of one person are merged: the open entitlement follows the record that stays, so the person is
    /// still paid, once (the import opens at most one entitlement per person and benefit; the database's unique index
    /// on open entitlements holds it). No status change: the payments continue as they were.
    /// </summary>
    /// <returns>How many entitlements moved (0 or 1).</returns>
    public static async Task<int> MoveToMergedRecordAsync(DbWrite tx, Guid mergedId, Guid targetId, EntitlementActor actor, string note, DateTimeOffset now)
    {
        var ids = await tx.QueryAsync<Guid>(Sql.OpenOfBeneficiary, new { Id = mergedId, Open = EntitlementRules.Open.Select(s => s.ToString()).ToList() });
        foreach (var id in ids)
        {
            await tx.ExecuteAsync(Sql.SetBeneficiary, new { Id = id, Beneficiary = targetId, Now = now });
            var row = await EntitlementStore.LoadAsync(tx, id);
            await EntitlementTransitions.RecordAsync(tx, id, "RecordMerged", row!.State, actor, new EntitlementChange(Note: note), now);
        }
        return ids.Count;
    }

    private static async Task ApplyAsync(DbWrite tx, EntitlementRow row, EntitlementAction action, EntitlementActor actor, EntitlementChange change,
        DateTimeOffset now)
    {
        var outcome = await EntitlementTransitions.ApplyAsync(tx, row.Subject, action, actor, change, now);
        if (outcome != EntitlementOutcome.Applied)
            throw ProblemException.Conflict("entitlement-changed", "Khoản hưởng vừa thay đổi",
                $"Không thể {action} khoản hưởng {row.Id} ({row.Status}): {outcome}. Hãy tải lại rồi thực hiện lại.");
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static ProblemException Refusal(string rule, string message) =>
        new(StatusCodes.Status422UnprocessableEntity, "benefit-rule", "Quy định không cho phép chấp thuận",
            $"{message} (Căn cứ: Nghị định 147/2025/NĐ-CP.) Chủ tịch vẫn có thể từ chối kèm lý do.",
            new Dictionary<string, string[]> { ["rule"] = [rule], ["source"] = ["Nghị định 147/2025/NĐ-CP"] });

    internal static class Sql
    {
        public const string SetEnd = """
            UPDATE entitlement SET status = @Status, end_month = @End, suspension_reason = NULL, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string SetBasis = """
            UPDATE entitlement SET status = @Status, ward_code = @Ward, amount_source = @Source, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string SetWard = "UPDATE entitlement SET ward_code = @Ward, version = version + 1, updated_at = @Now WHERE id = @Id";
        public const string LastPaidOfPerson = """
            SELECT MAX(end_month) FROM entitlement
            WHERE person_id_hash = @IdHash AND benefit_code IN @Benefits AND status IN @Closed AND end_month >= start_month
            """;
        public const string SetBeneficiary = "UPDATE entitlement SET beneficiary_id = @Beneficiary, version = version + 1, updated_at = @Now WHERE id = @Id";
        public const string OpenOfBeneficiary = "SELECT id FROM entitlement WHERE beneficiary_id = @Id AND status IN @Open";
        public const string InsertPayable = """
            INSERT INTO payable (id, dossier_id, benefit_code, person_id_hash, payee_id_hash, ward_code, month, amount_vnd, decision_number, status, created_at)
            VALUES (@Id, @DossierId, @Benefit, @PersonIdHash, @PayeeIdHash, @Ward, @Month, @Amount, @Number, 'due', @Now)
            """;
    }
}
