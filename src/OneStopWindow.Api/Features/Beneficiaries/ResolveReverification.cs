using Mediator;
using OneStopWindow.Api.Features.Dossiers.Actions;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Beneficiaries;

/// <param name="Action">
/// `confirm-ward` (the record belongs to `wardCode`), `correct-address` (new `addressDetail`, and `wardCode`), or `merge` (into `mergeInto`, the same person's other record).
/// </param>
/// <param name="Note">Why: what was checked (residence database, village head, visit…).</param>
public sealed record ResolveReverificationRequest(string? Action, string? WardCode, string? AddressDetail, Guid? MergeInto, string? Note);

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

public sealed class ResolveReverificationHandler(Db db, IMediator mediator, TimeProvider clock) : ICommandHandler<ResolveReverification, ReverificationResponse>
{
    public async ValueTask<ReverificationResponse> Handle(ResolveReverification cmd, CancellationToken ct)
    {
        var entry = await LoadAsync(cmd.Id, ct);
        var c = cmd.Caller;
        // Another unit's entry answers as an unknown id does: the caller learns nothing of its existence.
        if (!c.IsProvincial && !(c.IsWardStaff && entry.QueueWard is not null && entry.QueueWard == c.WardCode))
            throw NotFound(cmd.Id);
        if (entry.Status != "open") throw ProblemException.Conflict("already-resolved", "Mục này đã được xử lý");
        var r = cmd.Request;
        // Ward staff settle entries for their own ward only: they neither hand a person to another ward nor merge
        // into another ward's record (provincial officers may do both).
        if (!c.IsProvincial && r.Action is "confirm-ward" or "correct-address" && r.WardCode != c.WardCode)
            throw ProblemException.Forbidden(
                $"Cán bộ xã/phường chỉ xác định người hưởng thuộc đơn vị mình ({c.WardCode}); chuyển sang đơn vị khác do cán bộ cấp tỉnh thực hiện.");
        if (!c.IsProvincial && r.Action == "merge"
            && await db.SingleOrDefaultAsync<string>(Sql.WardOf, new { Id = r.MergeInto }, ct) != c.WardCode)
            throw ProblemException.Forbidden("Cán bộ xã/phường chỉ hợp nhất vào bản ghi của đơn vị mình; trường hợp khác do cán bộ cấp tỉnh thực hiện.");
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
                await Entitlements.EntitlementRegister.AssignImportedWardAsync(tx, entry.SubjectId, r.WardCode!, new(c.Role, c.Id), resolution, now);
                break;
            case "correct-address":
                await tx.ExecuteAsync(Sql.SetWard, new { Id = entry.SubjectId, Ward = r.WardCode, Address = r.AddressDetail!.Trim(), Now = now });
                await Entitlements.EntitlementRegister.AssignImportedWardAsync(tx, entry.SubjectId, r.WardCode!, new(c.Role, c.Id), resolution, now);
                break;
            default:
                var target = await tx.QueryAsync<Guid>(Sql.SamePerson, new { Id = entry.SubjectId, Target = r.MergeInto });
                if (target.Count == 0) throw ProblemException.Validation([new("mergeInto", "Chỉ hợp nhất với bản ghi khác của cùng người (cùng số định danh).")]);
                // Both records paid (a conflicting identity keeps paying while re-verified): merging would leave one person two payments.
                if (await tx.SingleOrDefaultAsync<long>(Sql.BothPaid, new { Id = entry.SubjectId, Target = r.MergeInto }) > 0)
                    throw ProblemException.Conflict("both-records-paid", "Cả hai bản ghi đều đang được chi trả",
                        "Bản ghi cần hợp nhất vào cũng đang có khoản hưởng: Chủ tịch UBND xã/phường cho thôi hưởng một khoản trước, rồi hợp nhất.");
                await tx.ExecuteAsync(Sql.Merge, new { Id = entry.SubjectId, Target = r.MergeInto, Now = now });
                await tx.ExecuteAsync(Sql.Event, new
                {
                    Id = Guid.CreateVersion7(),
                    Beneficiary = r.MergeInto,
                    Kind = "MergedFrom",
                    Actor = c.Id,
                    Role = c.Role,
                    Now = now,
                    Note = Cap($"Hợp nhất bản ghi {entry.SubjectId}: {r.Note}")
                });
                break;
        }
        // The holds the system placed while this re-verification stayed open are lifted (the months held are owed).
        await Entitlements.HoldUnverifiedEntitlementsHandler.ResumeAfterReverificationAsync(tx, entry.SubjectId, resolution, now);
        // The paid record merged into the other one (held as a duplicate): after its holds are lifted, the record that stays
        // carries the payment, in the ward that record is known in.
        if (r.Action == "merge"
            && await Entitlements.EntitlementRegister.MoveToMergedRecordAsync(tx, entry.SubjectId, r.MergeInto!.Value, new(c.Role, c.Id), resolution, now) > 0)
        {
            await tx.ExecuteAsync(Sql.Continues, new { Id = r.MergeInto, Now = now });
            if (await tx.SingleOrDefaultAsync<string>(Sql.WardOf, new { Id = r.MergeInto }) is { } targetWard
                && await tx.SingleOrDefaultAsync<long>(Sql.WithoutWard, new { Id = r.MergeInto }) > 0)
                await Entitlements.EntitlementRegister.AssignImportedWardAsync(tx, r.MergeInto.Value, targetWard, new(c.Role, c.Id), resolution, now);
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

    private async Task<ReverificationRow> LoadAsync(Guid id, CancellationToken ct) =>
        await db.SingleOrDefaultAsync<ReverificationRow>(ReverificationStatements.Sql.One, new { Id = id }, ct) ?? throw NotFound(id);

    private static ProblemException NotFound(Guid id) => ProblemException.NotFound($"mục xác minh lại {id}");

    internal static class Sql
    {
        public const string DossierVersion = "SELECT version FROM dossier WHERE id = @Id";
        public const string WardOf = "SELECT ward_code FROM beneficiary WHERE id = @Id";
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
        public const string BothPaid = """
            SELECT COUNT(*) FROM entitlement s JOIN entitlement t ON t.beneficiary_id = @Target AND t.status IN ('Active', 'Suspended')
            WHERE s.beneficiary_id = @Id AND s.status IN ('Active', 'Suspended')
            """;
        public const string WithoutWard = "SELECT COUNT(*) FROM entitlement WHERE beneficiary_id = @Id AND ward_code IS NULL AND status IN ('Active', 'Suspended')";
        public const string Continues = "UPDATE beneficiary SET entitlement = 'continues', updated_at = @Now WHERE id = @Id";
        public const string Merge = "UPDATE beneficiary SET merged_into = @Target, entitlement = 'merged', updated_at = @Now WHERE id = @Id";
        public const string Event = """
            INSERT INTO beneficiary_event (id, beneficiary_id, kind, actor, actor_role, occurred_at, note) VALUES (@Id, @Beneficiary, @Kind, @Actor, @Role, @Now, @Note)
            """;
    }
}
