using System.Globalization;
using System.Text.Json;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>A proposal's status, as stored in <c>entitlement_proposal.status</c>.</summary>
public static class ProposalStatuses
{
    public const string Open = "open";
    public const string Confirmed = "confirmed";
    public const string Dismissed = "dismissed";
}

/// <summary>What a proposal rests on (stored as JSON in <c>details</c>; no identity number).</summary>
/// <param name="DateOfDeath">Death: the date the registry records, "yyyy-MM-dd".</param>
/// <param name="WardCode">Move: the ward the registry has the person living in.</param>
/// <param name="Since">Move: since when, "yyyy-MM-dd", when the registry says.</param>
/// <param name="UnclaimedMonths">Unclaimed (issue 19): the months of the lists whose lines the payer reported unclaimed, oldest first.</param>
public sealed record ProposalDetails(string? DateOfDeath = null, string? WardCode = null, string? Since = null, IReadOnlyList<string>? UnclaimedMonths = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The same finding always gives the same text: a dismissed finding is recognised when the registry repeats it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ProposalDetails Parse(string json) => JsonSerializer.Deserialize<ProposalDetails>(json, Json) ?? new();

    public static ProposalDetails Of(CitizenStatus s, string kind) => kind == RegistryFindings.Death
        ? new(DateOfDeath: Day(s.DateOfDeath))
        : new(WardCode: s.ResidenceWardCode, Since: Day(s.ResidenceSince));

    private static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Confirming a proposal: the staff action that confirms it also closes it, in the action's own transaction.</summary>
public sealed record ProposalConfirmation(Guid ProposalId, string? Note);

/// <summary>A proposal as staff read it, with the entitlement it is about.</summary>
/// <param name="Kind">`death` (confirming records a death report), `move` (confirming records a move report) or `unclaimed` (the payer
/// reported the last three monthly lines unclaimed: confirming suspends with reason `other`, the months stay owed).</param>
/// <param name="EntitlementStatus">The entitlement's status now: only an Active one's proposal can be confirmed.</param>
/// <param name="DateOfDeath">Death: the date the registry records.</param>
/// <param name="ResidenceWardCode">Move: the ward the registry has the person living in.</param>
/// <param name="ResidenceSince">Move: since when, when the registry says.</param>
/// <param name="Source">The registry and gateway the finding came from, or the payer's results.</param>
/// <param name="UnclaimedMonths">Unclaimed: the months of the lists reported unclaimed, oldest first.</param>
/// <param name="Status">`open`, `confirmed` or `dismissed`.</param>
public sealed record EntitlementProposalResponse(Guid Id, Guid EntitlementId, string FullName, string BenefitCode, string? WardCode,
    string EntitlementStatus, string Kind, string? DateOfDeath, string? ResidenceWardCode, string? ResidenceSince, string Source, DateTimeOffset ProposedAt,
    string Status, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote, IReadOnlyList<string>? UnclaimedMonths = null);

/// <summary>
/// The proposals of the periodic registry check (issue 18, part 3), as the register keeps them: one row per finding
/// and entitlement, open until staff confirm it — the same death or move report a ward records, through
/// <see cref="EntitlementActionRunner"/> and the engine — or dismiss it. The check (Registries) writes through
/// <see cref="ProposeAsync"/>; the SQL lives here once.
/// </summary>
public static class EntitlementProposals
{
    public sealed record Row
    {
        public Guid Id { get; init; }
        public Guid EntitlementId { get; init; }
        public string Kind { get; init; } = "";
        public string Details { get; init; } = "{}";
        public string Source { get; init; } = "";
        public DateTimeOffset ProposedAt { get; init; }
        public string Status { get; init; } = "";
        public string? DecidedBy { get; init; }
        public DateTimeOffset? DecidedAt { get; init; }
        public string? DecisionNote { get; init; }
        public string FullName { get; init; } = "";
        public string BenefitCode { get; init; } = "";
        public string? WardCode { get; init; }
        public string EntitlementStatus { get; init; } = "";
    }

    /// <summary>
    /// Records a finding, in the caller's transaction, unless the entitlement is no longer Active, the same kind is already
    /// open for it, or staff dismissed this very finding before (the registry repeating it is not news; a new date or
    /// ward is). Returns whether a proposal was written.
    /// </summary>
    public static async Task<bool> ProposeAsync(DbWrite tx, Guid entitlementId, string kind, ProposalDetails details, string source, DateTimeOffset now) =>
        await tx.ExecuteAsync(Sql.Propose, new
        {
            Id = Guid.CreateVersion7(),
            EntitlementId = entitlementId,
            Kind = kind,
            Details = details.ToJson(),
            Source = source.Length > 200 ? source[..200] : source,
            Now = now,
            // A death is proposed for a held entitlement too; a move only for a paid one.
            Statuses = kind == RegistryFindings.Death ? EntitlementRules.Open.Select(o => o.ToString()).ToList() : [nameof(EntitlementStatus.Active)],
        }) == 1;

    public static Task<Row?> LoadAsync(Db db, Guid id, CancellationToken ct) => db.SingleOrDefaultAsync<Row>(Sql.One, new { Id = id }, ct);

    /// <summary>Staff see a proposal as they see its entitlement: their own ward's; provincial officers every one.</summary>
    public static bool Sees(Caller c, Row row) => c.ServesWard(row.WardCode);

    public static ProblemException NotFound(Guid id) => ProblemException.NotFound($"đề xuất {id} (hoặc bạn không có quyền xem)");

    public static ProblemException NotOpen(Row row) => ProblemException.Conflict("proposal-decided", "Đề xuất đã được xử lý",
        $"Đề xuất này đã ở trạng thái {row.Status}.");

    /// <summary>Called by <see cref="EntitlementActionRunner"/> once the confirming action applied: 409 (and nothing written) when decided meanwhile.</summary>
    public static async Task CloseAsConfirmedAsync(DbWrite tx, ProposalConfirmation p, Guid entitlementId, Caller caller, DateTimeOffset now)
    {
        if (await tx.ExecuteAsync(Sql.Decide, new
        {
            Id = p.ProposalId,
            EntitlementId = entitlementId,
            Status = ProposalStatuses.Confirmed,
            By = caller.Id,
            Now = now,
            p.Note,
            Open = ProposalStatuses.Open,
        }) == 0)
            throw ProblemException.Conflict("proposal-decided", "Đề xuất đã được xử lý", "Đề xuất vừa được người khác xác nhận hoặc bỏ qua.");
    }

    public static EntitlementProposalResponse ToResponse(Row r)
    {
        var d = ProposalDetails.Parse(r.Details);
        return new(r.Id, r.EntitlementId, r.FullName, r.BenefitCode, r.WardCode, r.EntitlementStatus, r.Kind, d.DateOfDeath, d.WardCode, d.Since, r.Source,
            r.ProposedAt, r.Status, r.DecidedBy, r.DecidedAt, r.DecisionNote, d.UnclaimedMonths);
    }

    internal static class Sql
    {
        public const string Columns = """
            SELECT p.id, p.entitlement_id, p.kind, p.details, p.source, p.proposed_at, p.status, p.decided_by, p.decided_at, p.decision_note,
                   e.full_name, e.benefit_code, e.ward_code, e.status AS entitlement_status
            FROM entitlement_proposal p JOIN entitlement e ON e.id = p.entitlement_id
            """;
        public const string One = Columns + " WHERE p.id = @Id";
        // Insert-if-absent in the writer's transaction (SQLite: BEGIN IMMEDIATE; SQL Server: the filtered unique index backs it).
        public const string Propose = """
            INSERT INTO entitlement_proposal (id, entitlement_id, kind, details, source, proposed_at, status, decided_by, decided_at, decision_note)
            SELECT @Id, @EntitlementId, @Kind, @Details, @Source, @Now, 'open', NULL, NULL, NULL
            WHERE EXISTS (SELECT 1 FROM entitlement WHERE id = @EntitlementId AND status IN @Statuses)
              AND NOT EXISTS (SELECT 1 FROM entitlement_proposal WHERE entitlement_id = @EntitlementId AND kind = @Kind
                              AND (status = 'open' OR (status = 'dismissed' AND details = @Details)))
            """;
        public const string Decide = """
            UPDATE entitlement_proposal SET status = @Status, decided_by = @By, decided_at = @Now, decision_note = @Note
            WHERE id = @Id AND entitlement_id = @EntitlementId AND status = @Open
            """;
    }
}
