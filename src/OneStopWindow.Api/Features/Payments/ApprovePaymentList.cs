using Mediator;
using OneStopWindow.Api.Features.Entitlements.PaymentMethods;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>The ward chair approves the ward's Draft list: from then on it never changes.</summary>
public sealed record ApprovePaymentList(Guid Id, Caller Caller, string? IfMatch) : ICommand<PaymentListResponse>;

/// <summary>
/// Approval and lock (issue 19, Decree 176/2025: the commune approves the list it sends to the payer). In one write
/// transaction: the list as the caller may see it (404 otherwise), If-Match required (428) and current (412), the ward
/// chair of the list's ward only (403), a Draft only (409), a draft still matching the register — no entitlement on it
/// changed since it was drafted (409 <c>payment-list-outdated</c>: generate it again) — and no payable line without a
/// payment method (422 naming the lines: no money goes nowhere). Then each payable line takes its method and account as
/// they stand now (<c>payment_line.payer_account</c>, sealed): the export sends exactly that, the same bytes every time,
/// whatever the beneficiary changes later (a new account applies from the next list). Then Approved, and the outbox event
/// <see cref="EventType"/> with ids and status only.
/// </summary>
public sealed class ApprovePaymentListHandler(Db db, PayerAccounts accounts, PersonalData personalData, TimeProvider clock)
    : ICommandHandler<ApprovePaymentList, PaymentListResponse>
{
    public const string EventType = "PaymentListApproved";

    /// <summary>The outbox row's procedure_code for a payment list (it spans benefits); a client restricted to procedures sees it only if it lists this.</summary>
    public const string EventProcedure = "PAYMENT-LIST";

    public async ValueTask<PaymentListResponse> Handle(ApprovePaymentList cmd, CancellationToken ct)
    {
        var expected = Infrastructure.Http.IfMatch.Required(cmd.IfMatch, "Thiếu phiên bản danh sách chi trả",
            "Gửi header If-Match với ETag nhận được khi đọc danh sách, để phê duyệt đúng danh sách đã kiểm tra.");
        var now = clock.GetUtcNow();
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            var list = await tx.SingleOrDefaultAsync<PaymentListRow>(PaymentLists.Sql.One, new { cmd.Id });
            if (list is null || !PaymentLists.Sees(cmd.Caller, list.WardCode)) throw PaymentLists.NotFound(cmd.Id);
            if (expected != list.Version)
                throw new ProblemException(StatusCodes.Status412PreconditionFailed, "payment-list-changed", "Danh sách chi trả vừa thay đổi",
                    $"Phiên bản bạn gửi đã cũ (hiện tại {list.ETag}). Hãy tải lại danh sách, kiểm tra rồi phê duyệt.");
            if (cmd.Caller.Role != Roles.WardChair)
                throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-action", "Không có quyền phê duyệt danh sách chi trả",
                    "Chỉ Chủ tịch UBND xã/phường phê duyệt danh sách chi trả của xã/phường mình (Nghị định 176/2025/NĐ-CP).");
            if (list.Status != PaymentListStatus.Draft)
                throw ProblemException.Conflict("payment-list-approved", "Danh sách chi trả đã được phê duyệt",
                    "Danh sách đã phê duyệt không thay đổi nữa; các điều chỉnh đưa vào danh sách tháng sau.");
            if (await tx.ScalarAsync<long>(Sql.ChangedSince, new { list.Id }) > 0)
                throw ProblemException.Conflict("payment-list-outdated", "Danh sách chi trả đã cũ",
                    "Sổ theo dõi đối tượng đã thay đổi sau khi lập danh sách (tạm dừng, thôi hưởng, điều chỉnh…). Hãy lập lại danh sách, kiểm tra rồi phê duyệt.");
            var unknown = await tx.QueryAsync<Guid>(Sql.UnknownMethod, new { list.Id });
            if (unknown.Count > 0)
                throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "payment-method-missing", "Còn người hưởng chưa có hình thức nhận tiền",
                    $"{unknown.Count} dòng chưa có hình thức chi trả (tài khoản, ví điện tử, bưu điện, tại nhà). Ghi hình thức chi trả cho những người này, " +
                    "lập lại danh sách rồi phê duyệt.",
                    new Dictionary<string, string[]> { ["lines"] = [.. unknown.Select(id => id.ToString())] });
            await SnapshotAccountsAsync(tx, list.Id);
            if (await tx.ExecuteAsync(Sql.Approve, new { list.Id, list.Version, By = cmd.Caller.Id, Now = now }) == 0)
                throw new ProblemException(StatusCodes.Status412PreconditionFailed, "payment-list-changed", "Danh sách chi trả vừa thay đổi",
                    "Hãy tải lại danh sách rồi phê duyệt.");
            // Ids and status only: no name, amount or month of a person.
            await tx.ExecuteAsync(Sql.AppendIntegrationEvent, new { EventId = Guid.CreateVersion7(), list.Id, Type = EventType, Procedure = EventProcedure, At = now });
            await tx.CommitAsync();
        }
        return (await db.SingleOrDefaultAsync<PaymentListRow>(PaymentLists.Sql.One, new { cmd.Id }, ct))!.ToResponse();
    }

    /// <summary>The payable lines' methods and accounts, opened in this transaction and sealed again onto the lines.</summary>
    private async Task SnapshotAccountsAsync(DbWrite tx, Guid listId)
    {
        var lines = await tx.QueryAsync<(Guid Id, Guid MethodId)>(Sql.PayableLines, new { Id = listId });
        var opened = await accounts.ForMethodsAsync(tx, [.. lines.Select(l => l.MethodId)]);
        await tx.ExecuteAsync(Sql.SetAccount, lines.Where(l => opened.ContainsKey(l.MethodId)).Select(l => new
        {
            l.Id,
            opened[l.MethodId].Method,
            Account = PayerListLines.Account(opened[l.MethodId]) is { } cell ? personalData.Seal(cell).Stored : null,
        }));
    }

    internal static class Sql
    {
        public const string PayableLines = """
            SELECT id, payment_method_id FROM payment_line WHERE list_id = @Id AND payment_method_id IS NOT NULL AND kind <> 'held-duplicate'
            """;
        public const string SetAccount = "UPDATE payment_line SET method = @Method, payer_account = @Account WHERE id = @Id";
        public const string ChangedSince = """
            SELECT COUNT(*) FROM payment_line l JOIN entitlement e ON e.id = l.entitlement_id
            WHERE l.list_id = @Id AND (l.entitlement_version IS NULL OR e.version <> l.entitlement_version)
            """;
        public const string UnknownMethod = """
            SELECT id FROM payment_line WHERE list_id = @Id AND method = 'unknown' AND kind <> 'held-duplicate' ORDER BY id
            """;
        public const string Approve = """
            UPDATE payment_list SET status = 'Approved', approved_by = @By, approved_at = @Now, version = version + 1
            WHERE id = @Id AND version = @Version AND status = 'Draft'
            """;
        public const string AppendIntegrationEvent = """
            INSERT INTO integration_event (id, dossier_id, dossier_code, procedure_code, ward_code, client_id, event_type, status_after, version, occurred_at,
                entitlement_id, payment_list_id)
            SELECT @EventId, NULL, NULL, @Procedure, ward_code, NULL, @Type, status, version, @At, NULL, id FROM payment_list WHERE id = @Id
            """;
    }
}
