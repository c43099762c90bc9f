using Hangfire;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Features.Dossiers.Actions;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Beneficiaries;

public sealed record ReverificationSubjectResponse(string Kind, Guid Id, string? DossierCode, string FullName, string? OldCommuneCode, string? BenefitCode,
    string? WardCode, string? Entitlement);

/// <param name="ReasonCode">`split` (old commune split among wards), `unknown-code`, `conflicting-identity`, `duplicate-person`.</param>
/// <param name="QueueWard">The ward whose queue holds it; null = the provincial queue.</param>
/// <param name="RelatedBeneficiaryId">For identity questions: the other record (merge target).</param>
public sealed record ReverificationResponse(Guid Id, ReverificationSubjectResponse Subject, string ReasonCode, string Reason, IReadOnlyList<string> CandidateWards,
    Guid? RelatedBeneficiaryId, string? QueueWard, string Status, string? Resolution, string? ResolvedBy, DateTimeOffset? ResolvedAt, DateTimeOffset CreatedAt);

public sealed record ReverificationPageResponse(IReadOnlyList<ReverificationResponse> Items, string? NextAfter);

/// <param name="Action">`confirm-ward` (the record belongs to `wardCode`), `correct-address` (new `addressDetail`, and `wardCode`), or `merge` (into `mergeInto`, the same person's other record).</param>
/// <param name="Note">Why: what was checked (residence database, village head, visit…).</param>
public sealed record ResolveReverificationRequest(string? Action, string? WardCode, string? AddressDetail, Guid? MergeInto, string? Note);

public sealed record GetReverifications(Caller Caller, string? Ward, string? Status, int? Limit, string? After) : IQuery<ReverificationPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Status is not (null or "open" or "resolved")) yield return new("status", "Trạng thái là 'open' hoặc 'resolved'.");
        if (Ward is not null && Ward != "province" && (Ward.Length != 5 || !Ward.All(char.IsAsciiDigit)))
            yield return new("ward", "Mã xã/phường gồm 5 chữ số, hoặc 'province' cho hàng đợi của tỉnh.");
        if (Limit is < 1 or > 200) yield return new("limit", "Số bản ghi mỗi trang từ 1 đến 200.");
        if (After is not null && !int.TryParse(After, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            yield return new("after", "Con trỏ trang không hợp lệ.");
    }
}

public sealed record ResolveReverification(Guid Id, ResolveReverificationRequest Request, Caller Caller) : ICommand<ReverificationResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        var r = Request;
        if (r.Action is not ("confirm-ward" or "correct-address" or "merge")) yield return new("action", "Cách xử lý là 'confirm-ward', 'correct-address' hoặc 'merge'.");
        if (r.Action is "confirm-ward" or "correct-address" && (r.WardCode is not { Length: 5 } w || !w.All(char.IsAsciiDigit)))
            yield return new("wardCode", "Mã xã/phường gồm 5 chữ số.");
        if (r.Action == "correct-address" && (string.IsNullOrWhiteSpace(r.AddressDetail) || r.AddressDetail.Length > 300))
            yield return new("addressDetail", "Ghi địa chỉ đã xác minh (tối đa 300 ký tự).");
        if (r.Action == "merge" && r.MergeInto is null) yield return new("mergeInto", "Chọn bản ghi cần hợp nhất vào.");
        if (string.IsNullOrWhiteSpace(r.Note) || r.Note.Length > 1000) yield return new("note", "Ghi rõ căn cứ xác minh (tối đa 1000 ký tự).");
    }
}

/// <summary>
/// One queue per ward and one for the province. Ward staff see their ward's queue; provincial officers every queue
/// (<c>ward=province</c>: the provincial one). Dossiers routed to re-verification at intake are in the provincial
/// queue too; settling one hands it to the ward through the dossier's own AssignWard action (rules, If-Match, timeline).
/// </summary>
public sealed class ReverificationHandlers(Db db, IMediator mediator, TimeProvider clock)
    : IQueryHandler<GetReverifications, ReverificationPageResponse>, ICommandHandler<ResolveReverification, ReverificationResponse>
{
    public async ValueTask<ReverificationPageResponse> Handle(GetReverifications q, CancellationToken ct)
    {
        var c = q.Caller;
        string? ward = q.Ward;
        if (!c.IsProvincial)
        {
            if (!c.IsWardStaff || c.WardCode is null) throw ProblemException.Forbidden("Chỉ cán bộ xã/phường và cấp tỉnh xem hàng đợi xác minh lại.");
            if (ward is not null && ward != c.WardCode) throw ProblemException.Forbidden("Cán bộ xã/phường chỉ xem hàng đợi của đơn vị mình.");
            ward = c.WardCode;
        }
        var limit = q.Limit ?? 50;
        var offset = q.After is null ? 0 : int.Parse(q.After, System.Globalization.CultureInfo.InvariantCulture);
        var rows = await db.QueryAsync<Row>(db.Dialect.Page(Sql.Queue), new
        {
            Ward = ward is null or "province" ? null : ward,
            Province = ward == "province" ? 1 : 0,
            Status = q.Status ?? "open",
            Limit = limit + 1,
            Offset = offset,
        }, ct);
        return new(rows.Take(limit).Select(r => r.ToResponse()).ToList(),
            rows.Count > limit ? (offset + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    public async ValueTask<ReverificationResponse> Handle(ResolveReverification cmd, CancellationToken ct)
    {
        var entry = await LoadAsync(cmd.Id, ct);
        var c = cmd.Caller;
        if (!c.IsProvincial && !(c.IsWardStaff && entry.QueueWard is not null && entry.QueueWard == c.WardCode))
            throw ProblemException.Forbidden("Mục này thuộc hàng đợi của đơn vị khác.");
        if (entry.Status != "open") throw ProblemException.Conflict("already-resolved", "Mục này đã được xử lý");
        var r = cmd.Request;
        if (r.WardCode is not null && !await AdministrativeUnits.PhuThoWards.ExistsAsync(db, r.WardCode, ct))
            throw ProblemException.Validation([new("wardCode", $"Mã {r.WardCode} không phải xã/phường hiện hành của tỉnh Phú Thọ.")]);
        var now = clock.GetUtcNow();
        var resolution = r.Action switch
        {
            "confirm-ward" => $"Xác định thuộc {r.WardCode}: {r.Note}",
            "correct-address" => $"Sửa địa chỉ: {r.AddressDetail} ({r.WardCode}): {r.Note}",
            _ => $"Hợp nhất vào bản ghi {r.MergeInto}: {r.Note}",
        };
        if (resolution.Length > 1000) resolution = resolution[..1000];

        if (entry.SubjectKind == "dossier")
        {
            if (r.Action == "merge") throw ProblemException.Validation([new("action", "Hồ sơ chỉ xử lý bằng 'confirm-ward' hoặc 'correct-address'.")]);
            // The dossier's own action does the work: rules, version check, timeline, notifications.
            var version = await db.SingleOrDefaultAsync<long>(Sql.DossierVersion, new { Id = entry.SubjectId }, ct);
            await mediator.Send(new AssignWard(entry.DossierCode!, c, $"\"{version}\"", false, new AssignWardRequest(r.WardCode, resolution)), ct);
            await using var done = await db.BeginWriteAsync(ct);
            await done.ExecuteAsync(Sql.Resolve, new { cmd.Id, Resolution = resolution, By = c.Id, Now = now });
            await done.CommitAsync();
            return (await LoadAsync(cmd.Id, ct)).ToResponse();
        }

        await using var tx = await db.BeginWriteAsync(ct);
        if (await tx.ExecuteAsync(Sql.Resolve, new { cmd.Id, Resolution = resolution, By = c.Id, Now = now }) == 0)
            throw ProblemException.Conflict("already-resolved", "Mục này đã được xử lý");
        switch (r.Action)
        {
            case "confirm-ward":
                await tx.ExecuteAsync(Sql.SetWard, new { Id = entry.SubjectId, Ward = r.WardCode, Address = (string?)null, Now = now });
                break;
            case "correct-address":
                await tx.ExecuteAsync(Sql.SetWard, new { Id = entry.SubjectId, Ward = r.WardCode, Address = r.AddressDetail!.Trim(), Now = now });
                break;
            default:
                var target = await tx.QueryAsync<Guid>(Sql.SamePerson, new { Id = entry.SubjectId, Target = r.MergeInto });
                if (target.Count == 0) throw ProblemException.Validation([new("mergeInto", "Chỉ hợp nhất với bản ghi khác của cùng người (cùng số định danh).")]);
                await tx.ExecuteAsync(Sql.Merge, new { Id = entry.SubjectId, Target = r.MergeInto, Now = now });
                await tx.ExecuteAsync(Sql.Event, new { Id = Guid.CreateVersion7(), Beneficiary = r.MergeInto, Kind = "MergedFrom", Actor = c.Id, Role = c.Role, Now = now, Note = Cap($"Hợp nhất bản ghi {entry.SubjectId}: {r.Note}") });
                break;
        }
        await tx.ExecuteAsync(Sql.Event, new
        {
            Id = Guid.CreateVersion7(),
            Beneficiary = entry.SubjectId,
            Kind = r.Action switch { "confirm-ward" => "WardConfirmed", "correct-address" => "AddressCorrected", _ => "MergedInto" },
            Actor = c.Id,
            Role = c.Role,
            Now = now,
            Note = resolution,
        });
        await tx.CommitAsync();
        return (await LoadAsync(cmd.Id, ct)).ToResponse();
    }

    private static string Cap(string text) => text.Length > 1000 ? text[..1000] : text;

    private async Task<Row> LoadAsync(Guid id, CancellationToken ct) =>
        await db.SingleOrDefaultAsync<Row>(Sql.One, new { Id = id }, ct) ?? throw ProblemException.NotFound($"mục xác minh lại {id}");

    private sealed record Row
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
        public const string DossierVersion = "SELECT version FROM dossier WHERE id = @Id";
        public const string Resolve = """
            UPDATE reverification SET status = 'resolved', resolution = @Resolution, resolved_by = @By, resolved_at = @Now WHERE id = @Id AND status = 'open'
            """;
        public const string SetWard = """
            UPDATE beneficiary SET ward_code = @Ward, address_detail = COALESCE(@Address, address_detail), updated_at = @Now WHERE id = @Id
            """;
        public const string SamePerson = """
            SELECT t.id FROM beneficiary s JOIN beneficiary t ON t.id_hash = s.id_hash AND t.id <> s.id AND t.merged_into IS NULL
            WHERE s.id = @Id AND t.id = @Target
            """;
        public const string Merge = "UPDATE beneficiary SET merged_into = @Target, entitlement = 'merged', updated_at = @Now WHERE id = @Id";
        public const string Event = """
            INSERT INTO beneficiary_event (id, beneficiary_id, kind, actor, actor_role, occurred_at, note) VALUES (@Id, @Beneficiary, @Kind, @Actor, @Role, @Now, @Note)
            """;
    }
}

/// <summary>Re-enqueues imports that are not finished and whose worker stopped (heartbeat stale, or every one at worker start-up).</summary>
public sealed class ResumeImportsJob(Db db, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringId = "resume-imports";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task Run(CancellationToken ct) => await ResumeAsync(afterRestart: false, ct);

    /// <summary>Enqueued once when a worker process starts: every unfinished import is resumed at once.</summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task RunAfterRestart(CancellationToken ct) => await ResumeAsync(afterRestart: true, ct);

    public async Task<int> ResumeAsync(bool afterRestart, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = await db.QueryAsync<Guid>(Sql.Stalled, new { Stale = afterRestart ? now.AddYears(100) : now.AddMinutes(-2), Queued = afterRestart ? now.AddYears(100) : now.AddSeconds(-30) }, ct);
        foreach (var id in ids) jobs.Enqueue<ImportBeneficiariesJob>(j => j.Run(id, CancellationToken.None));
        return ids.Count;
    }

    internal static class Sql
    {
        public const string Stalled = """
            SELECT id FROM beneficiary_import
            WHERE status IN ('queued', 'running') AND ((heartbeat_at IS NULL AND created_at < @Queued) OR heartbeat_at < @Stale)
            """;
    }
}

public static class BeneficiaryEndpoints
{
    public static IEndpointRouteBuilder MapBeneficiaries(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Beneficiary import").RequireAuthorization(Policies.Provincial)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        imports.MapPost("/", async ([FromQuery] string? sourceSystem, [FromQuery] string? fileName, HttpContext http, IMediator m,
                Microsoft.Extensions.Options.IOptions<ImportOptions> options, CancellationToken ct) =>
            {
                // Lists are far larger than any other request: this endpoint alone lifts the server's body limit to its own.
                if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                    limit.MaxRequestBodySize = options.Value.MaxBytes;
                var operation = await m.Send(new StartImport(http.Request.Body, http.Request.ContentType, sourceSystem, fileName, Caller.From(http.User)), ct);
                return TypedResults.Accepted($"/api/v1/imports/{operation.Id}", operation);
            })
            .Accepts<IReadOnlyList<BeneficiaryRecord>>("application/json", "text/csv")
            .WithName("StartBeneficiaryImport").WithRequestExample(() => System.Text.Json.Nodes.JsonNode.Parse(ImportExamples.SampleBeneficiaries)!)
            .WithSummary("Upload a former province's beneficiary list (CSV or JSON); processed in the background")
            .WithDescription("""
                Provincial officers and administrators. The body is the list itself — `text/csv` (header row, columns as in
                api-specs/beneficiary-import.md) or `application/json` (an array of records) — streamed to disk, never held
                in memory. Answers 202 at once with the operation; follow `GET /api/v1/imports/{id}` for progress and counts and
                `.../rows` for the per-row report. Each record's old commune code is mapped through the official succession data:
                one successor → mapped; split, unknown code, conflicting identity or duplicate person → the re-verification queue,
                with the entitlement continuing (a duplicate is held so it is not paid twice). Re-importing the same records
                changes nothing; an import interrupted by a restart resumes after its last committed batch.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        imports.MapGet("/{importId:guid}", async (Guid importId, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetImport(importId), ct)))
            .WithName("GetBeneficiaryImport")
            .WithSummary("An import: status, progress and counts")
            .WithDescription("Provincial officers and administrators. `status`: queued, running, completed, failed (the file became unreadable; what was applied stays).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapGet("/{importId:guid}/rows", async (Guid importId, string? outcome, int? after, int? limit, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetImportRows(importId, outcome, after, limit), ct)))
            .WithName("GetBeneficiaryImportRows")
            .WithSummary("The per-row report of an import")
            .WithDescription("Provincial officers and administrators. Filter by `outcome`; page with `after` = `nextAfter`.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var queue = app.MapGroup("/api/v1/reverifications").WithTags("Re-verification").RequireAuthorization(Policies.Staff)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        queue.MapGet("/", async (string? ward, string? status, int? limit, string? after, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetReverifications(Caller.From(http.User), ward, status, limit, after), ct)))
            .WithName("GetReverifications")
            .WithSummary("The re-verification queue: what is uncertain and why, with the candidate wards")
            .WithDescription("Ward staff: their ward's queue. Provincial officers: any (`ward=province` for the provincial queue, where split and unknown old communes go). Imported beneficiaries and dossiers routed to re-verification at intake alike; oldest first.")
            .ProducesValidationProblem();

        queue.MapPost("/{id:guid}/resolution", async (Guid id, ResolveReverificationRequest request, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ResolveReverification(id, request, Caller.From(http.User)), ct)))
            .WithName("ResolveReverification").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject
            {
                ["action"] = "confirm-ward",
                ["wardCode"] = "04828",
                ["addressDetail"] = null,
                ["mergeInto"] = null,
                ["note"] = "Đối chiếu CSDL cư trú và xác nhận của trưởng xóm: xóm Đồng Phú thuộc phần xã Vầy Nưa cũ sáp nhập vào phường Thống Nhất.",
            })
            .WithSummary("Settle an entry: confirm the ward, correct the address, or merge with the same person's other record")
            .WithDescription("Staff of the entry's ward queue, or provincial officers (the provincial queue). Recorded on the beneficiary's (or dossier's) timeline with who, when and why. A dossier is handed to its ward through its own ward-assignment action.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
