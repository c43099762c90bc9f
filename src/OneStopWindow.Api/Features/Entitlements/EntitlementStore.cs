using System.Text.Json;
using OneStopWindow.Api.Features.Procedures.BenefitRules;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>A basis period as stored: the claim the rules are applied to is sealed (it names the groups, the birth date).</summary>
public sealed record StoredBasis(AmountSource Source, long? ImportedVnd, Sealed? Claim, Guid? DossierId, string? DecisionNumber);

/// <summary>The entitlement row, as every read and change of the register loads it.</summary>
public sealed record EntitlementRow
{
    public Guid Id { get; init; }
    public string? PersonIdHash { get; init; }
    public string FullName { get; init; } = "";
    public string BenefitCode { get; init; } = "";
    public string? WardCode { get; init; }
    public string StartMonth { get; init; } = "";
    public string? EndMonth { get; init; }
    public string Status { get; init; } = "";
    public string AmountSource { get; init; } = "";
    public string? SuspensionReason { get; init; }
    public Guid? BeneficiaryId { get; init; }
    public Guid? DossierId { get; init; }
    public int Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public EntitlementStatus State => Enum.Parse<EntitlementStatus>(Status);
    public EntitlementSubject Subject => new(Id, Version, State);
    public string ETag => $"\"{Version}\"";
}

public sealed record BasisRow
{
    public string FromMonth { get; init; } = "";
    public string Source { get; init; } = "";
    public long? ImportedAmountVnd { get; init; }
    public string? Claim { get; init; }
    public Guid? DossierId { get; init; }
    public string? DecisionNumber { get; init; }
}

public sealed record EntitlementEventRow
{
    public string Kind { get; init; } = "";
    public string StatusAfter { get; init; } = "";
    public string? Month { get; init; }
    public string? Reason { get; init; }
    public bool? Owed { get; init; }
    public string? Note { get; init; }
    public Guid? DossierId { get; init; }
    public string? DecisionNumber { get; init; }
    public string Actor { get; init; } = "";
    public string ActorRole { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
}

/// <summary>Reads and writes of the register's rows that every use case shares (the SQL lives once, here).</summary>
public static class EntitlementStore
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static Sealed SealClaim(PersonalData personalData, BenefitClaim claim) => personalData.Seal(JsonSerializer.Serialize(claim, Json));

    public static Task<EntitlementRow?> LoadAsync(DbWrite tx, Guid id) => tx.SingleOrDefaultAsync<EntitlementRow>(Sql.One, new { Id = id });

    public static Task<EntitlementRow?> LoadAsync(Db db, Guid id, CancellationToken ct) => db.SingleOrDefaultAsync<EntitlementRow>(Sql.One, new { Id = id }, ct);

    /// <summary>The person's open entitlements of <paramref name="benefits"/> (Active or Suspended), oldest first.</summary>
    public static Task<IReadOnlyList<EntitlementRow>> OpenOfPersonAsync(DbWrite tx, string personIdHash, IReadOnlyCollection<string> benefits) =>
        tx.QueryAsync<EntitlementRow>(Sql.OpenOfPerson, new { IdHash = personIdHash, Benefits = benefits, Open = EntitlementRules.Open.Select(s => s.ToString()).ToList() });

    /// <summary>Writes the basis in force from <paramref name="month"/>; a second decision in the same month replaces the first.</summary>
    public static async Task PutBasisAsync(DbWrite tx, Guid id, string month, StoredBasis b, DateTimeOffset now)
    {
        await tx.ExecuteAsync(Sql.DeleteBasis, new { Id = id, Month = month });
        await tx.ExecuteAsync(Sql.InsertBasis, new
        {
            Id = id,
            Month = month,
            Source = b.Source.ToString(),
            b.ImportedVnd,
            Claim = b.Claim?.Stored,
            b.DossierId,
            b.DecisionNumber,
            Now = now,
        });
    }

    /// <summary>The entitlement as the Domain computes amounts on it (claims opened).</summary>
    public static async Task<(Entitlement Entitlement, IReadOnlyList<BasisRow> Bases)> DomainAsync(Db db, PersonalData personalData, EntitlementRow row,
        CancellationToken ct)
    {
        var bases = await db.QueryAsync<BasisRow>(Sql.Bases, new { row.Id }, ct);
        return (ToDomain(personalData, row, bases.Select(b => (b.FromMonth, b.Source, b.ImportedAmountVnd, b.Claim))), bases);
    }

    /// <summary>
    /// A keyset page (by id, after <paramref name="after"/>, up to and including <paramref name="upTo"/> when given) of the
    /// entitlements of <paramref name="benefitCode"/> (in <paramref name="ward"/> when given) whose months reach
    /// <paramref name="fromMonth"/> or later, as the Domain prices them: two queries a page, whatever its size.
    /// </summary>
    public static async Task<IReadOnlyList<(EntitlementRow Row, Entitlement Entitlement)>> ReachingAsync(Db db, PersonalData personalData,
        string benefitCode, string? ward, DateOnly fromMonth, Guid? after, Guid? upTo, int limit, CancellationToken ct)
    {
        // Sentinels instead of "@After IS NULL OR id > @After", which keeps both engines from seeking the id index (every
        // batch would scan from the start); the nil and the all-ones GUID sort first and last in both.
        var args = new { Benefit = benefitCode, Ward = ward, From = Months.Format(fromMonth), After = after ?? Guid.Empty, UpTo = upTo ?? LastGuid, Limit = limit };
        var rows = await db.QueryAsync<EntitlementRow>(db.Dialect.Limit(ward is null ? Sql.Reaching : Sql.ReachingInWard), args, ct);
        if (rows.Count == 0) return [];
        // The page's bases by the same filter up to its last id: no list of ids to send.
        var bases = (await db.QueryAsync<RangeBasisRow>(ward is null ? Sql.ReachingBases : Sql.ReachingBasesInWard, args with { UpTo = rows[^1].Id }, ct))
            .ToLookup(b => b.EntitlementId);
        return rows.Select(r => (r, ToDomain(personalData, r, bases[r.Id].Select(b => (b.FromMonth, b.Source, b.ImportedAmountVnd, b.Claim))))).ToList();
    }

    private static Entitlement ToDomain(PersonalData personalData, EntitlementRow row,
        IEnumerable<(string FromMonth, string Source, long? ImportedVnd, string? Claim)> bases) =>
        new(row.BenefitCode, Months.Parse(row.StartMonth)!.Value, Months.Parse(row.EndMonth), row.State,
            bases.Select(b => new EntitlementBasis(Months.Parse(b.FromMonth)!.Value, Enum.Parse<AmountSource>(b.Source), b.ImportedVnd,
                b.Claim is { } sealedClaim ? JsonSerializer.Deserialize<BenefitClaim>(personalData.Open(new Sealed(sealedClaim)), Json) : null)).ToList());

    private sealed record RangeBasisRow
    {
        public Guid EntitlementId { get; init; }
        public string FromMonth { get; init; } = "";
        public string Source { get; init; } = "";
        public long? ImportedAmountVnd { get; init; }
        public string? Claim { get; init; }
    }

    /// <summary>The rules that price an entitlement's months: its benefit's (BTXH-02 is the procedure of moving, the benefit is BTXH-01's).</summary>
    public static Task<BenefitRules> RulesAsync(Db db, string benefitCode, CancellationToken ct) => BenefitRuleStore.LoadAsync(db, benefitCode, ct);

    public static Task<IReadOnlyList<EntitlementEventRow>> HistoryAsync(Db db, Guid id, CancellationToken ct) =>
        db.QueryAsync<EntitlementEventRow>(Sql.History, new { Id = id }, ct);

    private static readonly Guid LastGuid = new("ffffffff-ffff-ffff-ffff-ffffffffffff");

    // Months are "yyyy-MM" text: compared as text in both engines.
    private const string ReachingFilter = "benefit_code = @Benefit AND (end_month IS NULL OR end_month >= @From) AND id > @After AND id <= @UpTo";

    internal static class Sql
    {
        public const string Columns = """
            SELECT id, person_id_hash, full_name, benefit_code, ward_code, start_month, end_month, status, amount_source, suspension_reason,
                   beneficiary_id, dossier_id, version, created_at, updated_at
            FROM entitlement
            """;
        public const string One = Columns + " WHERE id = @Id";
        public const string OpenOfPerson = Columns + """

            WHERE person_id_hash = @IdHash AND benefit_code IN @Benefits AND status IN @Open
            ORDER BY start_month, id
            """;
        public const string DeleteBasis = "DELETE FROM entitlement_basis WHERE entitlement_id = @Id AND from_month = @Month";
        public const string InsertBasis = """
            INSERT INTO entitlement_basis (entitlement_id, from_month, source, imported_amount_vnd, claim, dossier_id, decision_number, recorded_at)
            VALUES (@Id, @Month, @Source, @ImportedVnd, @Claim, @DossierId, @DecisionNumber, @Now)
            """;
        public const string Bases = """
            SELECT from_month, source, imported_amount_vnd, claim, dossier_id, decision_number FROM entitlement_basis
            WHERE entitlement_id = @Id ORDER BY from_month
            """;
        public const string Reaching = Columns + "\nWHERE " + ReachingFilter + "\nORDER BY id";
        public const string ReachingInWard = Columns + "\nWHERE ward_code = @Ward AND " + ReachingFilter + "\nORDER BY id";
        public const string ReachingBases = "SELECT entitlement_id, from_month, source, imported_amount_vnd, claim FROM entitlement_basis\n" +
            "WHERE entitlement_id IN (SELECT id FROM entitlement WHERE " + ReachingFilter + ")\nORDER BY entitlement_id, from_month";
        public const string ReachingBasesInWard = "SELECT entitlement_id, from_month, source, imported_amount_vnd, claim FROM entitlement_basis\n" +
            "WHERE entitlement_id IN (SELECT id FROM entitlement WHERE ward_code = @Ward AND " + ReachingFilter + ")\nORDER BY entitlement_id, from_month";
        public const string History = """
            SELECT kind, status_after, month, reason, owed, note, dossier_id, decision_number, actor, actor_role, occurred_at
            FROM entitlement_event WHERE entitlement_id = @Id ORDER BY occurred_at, id
            """;
    }
}
