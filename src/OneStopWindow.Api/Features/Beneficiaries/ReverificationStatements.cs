namespace OneStopWindow.Api.Features.Beneficiaries;

public sealed record ReverificationSubjectResponse(string Kind, Guid Id, string? DossierCode, string FullName, string? OldCommuneCode, string? BenefitCode,
    string? WardCode, string? Entitlement);

/// <param name="ReasonCode">`split` (old commune split among wards), `unknown-code`, `conflicting-identity`, `duplicate-person`.</param>
/// <param name="QueueWard">The ward whose queue holds it; null = the provincial queue.</param>
/// <param name="RelatedBeneficiaryId">For identity questions: the other record (merge target).</param>
public sealed record ReverificationResponse(Guid Id, ReverificationSubjectResponse Subject, string ReasonCode, string Reason, IReadOnlyList<string> CandidateWards,
    Guid? RelatedBeneficiaryId, string? QueueWard, string Status, string? Resolution, string? ResolvedBy, DateTimeOffset? ResolvedAt, DateTimeOffset CreatedAt);

internal sealed record ReverificationRow
{
    public Guid Id { get; init; }
    public string SubjectKind { get; init; } = "";
    public Guid SubjectId { get; init; }
    public string ReasonCode { get; init; } = "";
    public string Reason { get; init; } = "";
    public string? CandidateWards { get; init; }
    public Guid? RelatedId { get; init; }
    public string? QueueWard { get; init; }
    public string Status { get; init; } = "";
    public string? Resolution { get; init; }
    public string? ResolvedBy { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? DossierCode { get; init; }
    public string? FullName { get; init; }
    public string? OldCommuneCode { get; init; }
    public string? BenefitCode { get; init; }
    public string? WardCode { get; init; }
    public string? Entitlement { get; init; }

    public ReverificationResponse ToResponse() => new(Id,
        new(SubjectKind, SubjectId, DossierCode, FullName ?? "", OldCommuneCode, BenefitCode, WardCode, Entitlement),
        ReasonCode, Reason, CandidateWards?.Split(' ') ?? [], RelatedId, QueueWard, Status, Resolution, ResolvedBy, ResolvedAt, CreatedAt);
}

/// <summary>
/// One queue per ward and one for the province. Ward staff see their ward's queue; provincial officers every queue
/// (<c>ward=province</c>: the provincial one). Dossiers routed to re-verification at intake are in the provincial
/// queue too; settling one hands it to the ward through the dossier's own AssignWard action (rules, If-Match, timeline).
/// </summary>
internal static class ReverificationStatements
{
    internal static class Sql
    {
        // A dossier entry is settled as soon as the dossier left re-verification, whichever way that happened.
        private const string Select = """
            SELECT r.id, r.subject_kind, r.subject_id, r.reason_code, r.reason, r.candidate_wards, r.related_id, r.queue_ward,
                   CASE WHEN r.status = 'open' AND d.id IS NOT NULL AND d.status <> 'AwaitingReverification' THEN 'resolved' ELSE r.status END AS status,
                   r.resolution, r.resolved_by, r.resolved_at, r.created_at,
                   d.code AS dossier_code, COALESCE(b.full_name, d.applicant_name) AS full_name,
                   COALESCE(b.old_commune_code, d.residence_code) AS old_commune_code, COALESCE(b.benefit_code, d.procedure_code) AS benefit_code,
                   COALESCE(b.ward_code, d.handling_ward_code) AS ward_code, b.entitlement
            FROM reverification r
            LEFT JOIN beneficiary b ON r.subject_kind = 'beneficiary' AND b.id = r.subject_id
            LEFT JOIN dossier d ON r.subject_kind = 'dossier' AND d.id = r.subject_id
            """;
        public const string Queue = Select + """

            WHERE (@Ward IS NULL OR r.queue_ward = @Ward) AND (@Province = 0 OR r.queue_ward IS NULL)
              AND (CASE WHEN r.status = 'open' AND d.id IS NOT NULL AND d.status <> 'AwaitingReverification' THEN 'resolved' ELSE r.status END) = @Status
            ORDER BY r.created_at, r.id
            """;
        public const string One = Select + "\nWHERE r.id = @Id";
    }
}

/// <summary>
/// Opens an entry in the re-verification queue, inside the caller's transaction: the one way other slices (intake, the
/// import) put a dossier or a beneficiary record in front of an officer; only this slice writes its table.
/// </summary>
public static class ReverificationQueue
{
    /// <param name="subjectKind"><c>dossier</c> or <c>beneficiary</c>.</param>
    /// <param name="queueWard">The ward whose queue holds it; null = the provincial queue.</param>
    public static Task OpenAsync(Infrastructure.Data.DbWrite tx, string subjectKind, Guid subjectId, string reasonCode, string reason,
        IReadOnlyCollection<string> candidateWards, Guid? relatedId, string? queueWard, DateTimeOffset now) =>
        tx.ExecuteAsync(Sql.Open, new
        {
            Id = Guid.CreateVersion7(),
            SubjectKind = subjectKind,
            SubjectId = subjectId,
            ReasonCode = reasonCode,
            Reason = reason,
            Candidates = candidateWards.Count == 0 ? null : string.Join(' ', candidateWards),
            RelatedId = relatedId,
            QueueWard = queueWard,
            Now = now,
        });

    internal static class Sql
    {
        public const string Open = """
            INSERT INTO reverification (id, subject_kind, subject_id, reason_code, reason, candidate_wards, related_id, queue_ward, status, resolution,
                resolved_by, resolved_at, created_at)
            VALUES (@Id, @SubjectKind, @SubjectId, @ReasonCode, @Reason, @Candidates, @RelatedId, @QueueWard, 'open', NULL, NULL, NULL, @Now)
            """;
    }
}
