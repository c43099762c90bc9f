using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;
using OneStopWindow.Domain.Payments;

namespace OneStopWindow.Api.Features.Payments;

public enum GenerationOutcome { Written, Approved, NothingDue }

/// <summary>What one ward's generation did.</summary>
public sealed record GenerationResult(GenerationOutcome Outcome, Guid? ListId, int Lines, long TotalVnd);

/// <summary>
/// Builds one ward's Draft list for a month from the register (issue 19): every entitlement's due months
/// (<see cref="PaymentMonths.Owed"/>: regular, arrears, and top-ups of months paid at less than their amount), the ward's due one-off payables, and the legacy records held as
/// possible duplicates (amount 0, shown apart). Everything is read first; then one short write transaction replaces the
/// draft's lines and months (or creates the list), so a crash leaves the whole list or none and the single writer is held
/// for milliseconds. An Approved list is never touched. Line ids derive from the list and what the line pays, so a
/// redraft with nothing changed has the very same lines. The months are guarded by the database too: a month of an
/// entitlement on two live lines violates <c>ux_payment_line_month_live</c>.
/// </summary>
public sealed class PaymentListGenerator(Db db, PersonalData personalData, TimeProvider clock)
{
    /// <summary>Closed entitlements whose end month lies this many months before the list's month or later may still have unpaid owed months.</summary>
    public const int ClosedLookbackMonths = 12;

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <param name="keepEmpty">Write the list even when nothing is due (staff asked for it); the job skips such wards.</param>
    public async Task<GenerationResult> GenerateAsync(string ward, DateOnly month, IDictionary<string, BenefitRules> rules, CancellationToken ct,
        bool keepEmpty = false)
    {
        var started = clock.GetUtcNow();
        var monthText = Months.Format(month);
        var existing = await db.SingleOrDefaultAsync<ListHead>(Sql.Head, new { Ward = ward, Month = monthText }, ct);
        if (existing is { Status: PaymentListStatus.Approved }) return new(GenerationOutcome.Approved, existing.Id, 0, 0);
        var listId = existing?.Id ?? Guid.CreateVersion7();
        var lines = await ComputeAsync(ward, month, listId, rules, ct);
        if (lines.Count == 0 && existing is null && !keepEmpty) return new(GenerationOutcome.NothingDue, null, 0, 0);

        var total = lines.Where(l => l.Kind != LineKinds.HeldDuplicate).Sum(l => l.AmountVnd);
        await using var tx = await db.BeginWriteAsync(ct);
        var head = await tx.SingleOrDefaultAsync<ListHead>(Sql.Head, new { Ward = ward, Month = monthText });
        if (head is { Status: PaymentListStatus.Approved }) return new(GenerationOutcome.Approved, head.Id, 0, 0);
        if (head is null)
        {
            if (existing is not null) listId = Guid.CreateVersion7();   // deleted meanwhile: cannot happen today, but never reuse its id blindly
            await tx.ExecuteAsync(Sql.InsertList, new { Id = listId, Ward = ward, Month = monthText, Now = started, Count = lines.Count, Total = total });
        }
        else
        {
            listId = head.Id;
            await tx.ExecuteAsync(Sql.DeleteMonths, new { Id = listId });
            await tx.ExecuteAsync(Sql.DeleteLines, new { Id = listId });
            await tx.ExecuteAsync(Sql.Redraft, new { Id = listId, Now = started, Count = lines.Count, Total = total });
        }
        if (lines.Count > 0)
        {
            await tx.ExecuteAsync(Sql.InsertLine, lines.Select(l => l with { ListId = listId }));
            await tx.ExecuteAsync(Sql.InsertMonth, lines.SelectMany(l => l.Months));
        }
        await tx.CommitAsync();
        return new(GenerationOutcome.Written, listId, lines.Count, total);
    }

    private async Task<List<NewLine>> ComputeAsync(string ward, DateOnly month, Guid listId, IDictionary<string, BenefitRules> rules, CancellationToken ct)
    {
        var args = new
        {
            Ward = ward,
            Month = Months.Format(month),
            Horizon = Months.Format(month.AddMonths(-ClosedLookbackMonths)),
            Open = EntitlementRules.Open.Select(s => s.ToString()).ToList(),
            Draft = listId,
        };
        var entitlements = await db.QueryAsync<EntitlementLineRow>(Sql.Entitlements, args, ct);
        var bases = (await db.QueryAsync<BasisLineRow>(Sql.Bases, args, ct)).ToLookup(b => b.EntitlementId);
        var events = (await db.QueryAsync<EventLineRow>(Sql.Events, args, ct)).ToLookup(e => e.EntitlementId);
        var listed = (await db.QueryAsync<(Guid EntitlementId, string Month, long AmountVnd, bool TopUp, int? Version, bool Approved)>(Sql.Listed, args, ct))
            .ToLookup(m => m.EntitlementId, m => new ListedMonth(Months.Parse(m.Month)!.Value, m.AmountVnd, m.TopUp, m.Version, m.Approved));
        var methods = new Dictionary<Guid, MethodRow>();
        foreach (var m in await db.QueryAsync<MethodRow>(Sql.Methods, args, ct)) methods[m.OwnerId] = m;

        var lines = new List<NewLine>();
        foreach (var e in entitlements)
        {
            if (!rules.TryGetValue(e.BenefitCode, out var benefitRules))
                rules[e.BenefitCode] = benefitRules = await EntitlementStore.RulesAsync(db, e.BenefitCode, ct);
            var history = events[e.Id].ToList();
            var imported = history.FirstOrDefault(h => h.Kind == "Imported") is { } i ? Months.First(Appointment.DateInVietnam(i.OccurredAt)) : (DateOnly?)null;
            var start = Months.Parse(e.StartMonth)!.Value;
            var domain = new Entitlement(e.BenefitCode, start, Months.Parse(e.EndMonth), Enum.Parse<EntitlementStatus>(e.Status),
                bases[e.Id].Select(b => new EntitlementBasis(Months.Parse(b.FromMonth)!.Value, Enum.Parse<AmountSource>(b.Source), b.ImportedAmountVnd,
                    b.Claim is { } claim ? JsonSerializer.Deserialize<BenefitClaim>(personalData.Open(new Sealed(claim)), Json) : null)).ToList());
            var holds = PaymentMonths.Holds(history.Where(h => h.Kind is "Suspended" or "Resumed")
                .Select(h => new RegisterEvent(h.Kind, Months.Parse(h.Month), h.Owed)));
            var rows = listed[e.Id].ToList();
            var listedMonths = rows.Where(r => !r.TopUp).Select(r => r.Month).ToHashSet();
            var due = PaymentMonths.Owed(domain, PaymentMonths.PayFrom(start, imported), holds, month, listedMonths, PaidSoFar(rows, listedMonths, e.Version),
                benefitRules);
            if (due.Count == 0) continue;
            var id = LineId(listId, e.Id);
            methods.TryGetValue(e.Id, out var method);
            lines.Add(new NewLine(id, listId, PaymentMonths.KindOf(due, month), e.Id, null, e.BeneficiaryId, e.PersonDossierId, e.FullName,
                method?.Method ?? LineKinds.UnknownMethod, method?.Id, method?.NumberLast4, due.Sum(d => d.AmountVnd), Months.Format(due[0].Month),
                Months.Format(due[^1].Month), [.. due.Select(d => new NewMonth(id, e.Id, null, Months.Format(d.Month), d.AmountVnd, d.TopUp))])
            { EntitlementVersion = e.Version });
        }

        foreach (var p in await db.QueryAsync<PayableLineRow>(Sql.Payables, args, ct))
        {
            var id = LineId(listId, p.Id);
            lines.Add(new NewLine(id, listId, LineKinds.OneOff, null, p.Id, null, p.PersonDossierId, p.FullName, p.Method ?? LineKinds.UnknownMethod,
                p.PaymentMethodId, p.NumberLast4, p.AmountVnd, p.Month, p.Month, [new NewMonth(id, null, p.Id, p.Month, p.AmountVnd, false)]));
        }
        foreach (var b in await db.QueryAsync<HeldLineRow>(Sql.HeldDuplicates, args, ct))
            lines.Add(new NewLine(LineId(listId, b.Id), listId, LineKinds.HeldDuplicate, null, null, b.Id, null, b.FullName,
                b.Method ?? LineKinds.UnknownMethod, b.PaymentMethodId, b.NumberLast4, 0, args.Month, args.Month, []));
        return lines;
    }

    private sealed record ListedMonth(DateOnly Month, long AmountVnd, bool TopUp, int? Version, bool Approved);

    /// <summary>
    /// What <see cref="PaymentMonths.Owed"/> compares with the month's amount, for the months where a difference can be owed:
    /// a month whose base row stands on an approved list, listed from an older version of the entitlement (an adjustment
    /// since: pricing every listed month of every entitlement would double the generation's work) — the approved rows plus
    /// top-ups another draft already carries; and a month due again (its base row given back by the payer) that still has
    /// an approved top-up. A month whose base row is on another draft is left to that draft, which is priced afresh.
    /// </summary>
    private static Dictionary<DateOnly, long> PaidSoFar(List<ListedMonth> rows, HashSet<DateOnly> listedMonths, int version)
    {
        var approvedBase = rows.Where(r => !r.TopUp && r.Approved).Select(r => r.Month).ToHashSet();
        var paid = new Dictionary<DateOnly, long>();
        foreach (var g in rows.GroupBy(r => r.Month))
        {
            if (approvedBase.Contains(g.Key) && g.Any(r => r.Approved && r.Version != version))
                paid[g.Key] = g.Where(r => r.Approved || r.TopUp).Sum(r => r.AmountVnd);
            else if (!listedMonths.Contains(g.Key) && g.Any(r => r.Approved))
                paid[g.Key] = g.Where(r => r.Approved).Sum(r => r.AmountVnd);
        }
        return paid;
    }

    /// <summary>A line's id from its list and what it pays (entitlement, payable or held record): the same on every redraft.</summary>
    public static Guid LineId(Guid listId, Guid subject)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"payment-line|{listId:D}|{subject:D}")));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);   // RFC 9562 version 8 (custom), big-endian layout below
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private sealed record ListHead
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
    }

    internal sealed record NewLine(Guid Id, Guid ListId, string Kind, Guid? EntitlementId, Guid? PayableId, Guid? BeneficiaryId, Guid? PersonDossierId,
        string FullName, string Method, Guid? PaymentMethodId, string? AccountLast4, long AmountVnd, string PeriodFrom, string PeriodTo,
        IReadOnlyList<NewMonth> Months)
    {
        /// <summary>The entitlement's version the line was computed from: approval refuses the list when it has moved on since.</summary>
        public int? EntitlementVersion { get; init; }
    }

    internal sealed record NewMonth(Guid LineId, Guid? EntitlementId, Guid? PayableId, string Month, long AmountVnd, bool TopUp);

    private sealed record EntitlementLineRow
    {
        public Guid Id { get; init; }
        public string FullName { get; init; } = "";
        public string BenefitCode { get; init; } = "";
        public string StartMonth { get; init; } = "";
        public string? EndMonth { get; init; }
        public string Status { get; init; } = "";
        public Guid? BeneficiaryId { get; init; }
        public Guid? PersonDossierId { get; init; }
        public int Version { get; init; }
    }

    private sealed record BasisLineRow
    {
        public Guid EntitlementId { get; init; }
        public string FromMonth { get; init; } = "";
        public string Source { get; init; } = "";
        public long? ImportedAmountVnd { get; init; }
        public string? Claim { get; init; }
    }

    private sealed record EventLineRow
    {
        public Guid EntitlementId { get; init; }
        public string Kind { get; init; } = "";
        public string? Month { get; init; }
        public bool? Owed { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
    }

    private sealed record MethodRow
    {
        public Guid OwnerId { get; init; }
        public Guid Id { get; init; }
        public string Method { get; init; } = "";
        public string? NumberLast4 { get; init; }
    }

    private sealed record PayableLineRow
    {
        public Guid Id { get; init; }
        public string Month { get; init; } = "";
        public long AmountVnd { get; init; }
        public Guid? PersonDossierId { get; init; }
        public string FullName { get; init; } = "";
        public Guid? PaymentMethodId { get; init; }
        public string? Method { get; init; }
        public string? NumberLast4 { get; init; }
    }

    private sealed record HeldLineRow
    {
        public Guid Id { get; init; }
        public string FullName { get; init; } = "";
        public Guid? PaymentMethodId { get; init; }
        public string? Method { get; init; }
        public string? NumberLast4 { get; init; }
    }

    internal static class Sql
    {
        public const string Head = "SELECT id, status FROM payment_list WHERE ward_code = @Ward AND month = @Month";

        // The ward's entitlements that may owe a month: open ones, and closed ones ended within the look-back window. The
        // dossier stands for the person's sealed identity number when its applicant is the beneficiary.
        public const string Entitlements = """
            SELECT e.id, e.full_name, e.benefit_code, e.start_month, e.end_month, e.status, e.beneficiary_id, e.version,
                   CASE WHEN d.applicant_id_hash = e.person_id_hash THEN d.id ELSE NULL END AS person_dossier_id
            FROM entitlement e LEFT JOIN dossier d ON d.id = e.dossier_id
            WHERE e.ward_code = @Ward AND e.start_month <= @Month AND (e.status IN @Open OR (e.end_month >= @Horizon AND e.end_month >= e.start_month))
            ORDER BY e.id
            """;
        public const string Bases = """
            SELECT b.entitlement_id, b.from_month, b.source, b.imported_amount_vnd, b.claim
            FROM entitlement_basis b JOIN entitlement e ON e.id = b.entitlement_id
            WHERE e.ward_code = @Ward AND e.start_month <= @Month AND (e.status IN @Open OR (e.end_month >= @Horizon AND e.end_month >= e.start_month))
            """;
        public const string Events = """
            SELECT ev.entitlement_id, ev.kind, ev.month, ev.owed, ev.occurred_at
            FROM entitlement_event ev JOIN entitlement e ON e.id = ev.entitlement_id
            WHERE e.ward_code = @Ward AND e.start_month <= @Month AND (e.status IN @Open OR (e.end_month >= @Horizon AND e.end_month >= e.start_month))
              AND ev.kind IN ('Suspended', 'Resumed', 'Imported')
            ORDER BY ev.entitlement_id, ev.occurred_at, ev.id
            """;
        // Months on a live line of any list but the draft being rebuilt (whose lines this transaction replaces).
        public const string Listed = """
            SELECT m.entitlement_id, m.month, m.amount_vnd, m.top_up, l.entitlement_version, CASE WHEN p.status = 'Approved' THEN 1 ELSE 0 END AS approved
            FROM payment_line_month m JOIN entitlement e ON e.id = m.entitlement_id JOIN payment_line l ON l.id = m.line_id JOIN payment_list p ON p.id = l.list_id
            WHERE e.ward_code = @Ward AND m.released = 0 AND m.entitlement_id IS NOT NULL AND l.list_id <> @Draft
            """;
        // The person's method by the keyed hash; a beneficiary without an identity number by the entitlement itself. Never a number: its last 4 digits.
        public const string Methods = """
            SELECT e.id AS owner_id, p.id, p.method, p.number_last4
            FROM entitlement e JOIN payment_method p ON p.person_id_hash = e.person_id_hash
            WHERE e.ward_code = @Ward
            UNION ALL
            SELECT p.entitlement_id AS owner_id, p.id, p.method, p.number_last4
            FROM payment_method p JOIN entitlement e ON e.id = p.entitlement_id
            WHERE e.ward_code = @Ward
            """;
        // Due one-off payments not yet on a live line; paid to the applicant (the payee).
        public const string Payables = """
            SELECT p.id, p.month, p.amount_vnd, d.applicant_name AS full_name,
                   CASE WHEN d.applicant_id_hash = p.payee_id_hash THEN d.id ELSE NULL END AS person_dossier_id,
                   m.id AS payment_method_id, m.method, m.number_last4
            FROM payable p JOIN dossier d ON d.id = p.dossier_id
            LEFT JOIN payment_method m ON m.person_id_hash = p.payee_id_hash
            WHERE p.ward_code = @Ward AND p.status = 'due' AND p.month <= @Month
              AND NOT EXISTS (SELECT 1 FROM payment_line_month lm JOIN payment_line l ON l.id = lm.line_id
                              WHERE lm.payable_id = p.id AND lm.released = 0 AND l.list_id <> @Draft)
            ORDER BY p.id
            """;
        // Legacy records held as possible duplicates while their re-verification is open: shown apart, for a decision.
        public const string HeldDuplicates = """
            SELECT b.id, b.full_name, m.id AS payment_method_id, m.method, m.number_last4
            FROM beneficiary b LEFT JOIN payment_method m ON m.person_id_hash = b.id_hash
            WHERE b.ward_code = @Ward AND b.entitlement = 'held-duplicate'
              AND EXISTS (SELECT 1 FROM reverification r WHERE r.subject_kind = 'beneficiary' AND r.subject_id = b.id AND r.status = 'open')
            ORDER BY b.id
            """;
        public const string InsertList = """
            INSERT INTO payment_list (id, ward_code, month, status, generated_at, approved_by, approved_at, version, line_count, total_vnd)
            VALUES (@Id, @Ward, @Month, 'Draft', @Now, NULL, NULL, 1, @Count, @Total)
            """;
        public const string Redraft = """
            UPDATE payment_list SET generated_at = @Now, version = version + 1, line_count = @Count, total_vnd = @Total
            WHERE id = @Id AND status = 'Draft'
            """;
        public const string DeleteMonths = "DELETE FROM payment_line_month WHERE line_id IN (SELECT id FROM payment_line WHERE list_id = @Id)";
        public const string DeleteLines = "DELETE FROM payment_line WHERE list_id = @Id";
        public const string InsertLine = """
            INSERT INTO payment_line (id, list_id, kind, entitlement_id, payable_id, beneficiary_id, person_dossier_id, full_name, method, payment_method_id,
                account_last4, amount_vnd, period_from, period_to, result, result_at, entitlement_version)
            VALUES (@Id, @ListId, @Kind, @EntitlementId, @PayableId, @BeneficiaryId, @PersonDossierId, @FullName, @Method, @PaymentMethodId,
                @AccountLast4, @AmountVnd, @PeriodFrom, @PeriodTo, NULL, NULL, @EntitlementVersion)
            """;
        public const string InsertMonth = """
            INSERT INTO payment_line_month (line_id, entitlement_id, payable_id, month, amount_vnd, released, top_up)
            VALUES (@LineId, @EntitlementId, @PayableId, @Month, @AmountVnd, 0, @TopUp)
            """;
    }
}

/// <summary>A payment list's status: a Draft is rebuilt on every generation; an Approved list never changes again.</summary>
public static class PaymentListStatus
{
    public const string Draft = "Draft";
    public const string Approved = "Approved";
}
