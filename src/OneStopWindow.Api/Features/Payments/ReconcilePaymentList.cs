using System.Globalization;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Payments;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>One row of the payer's file that was not applied, and why (Vietnamese, for the person who uploaded it).</summary>
/// <param name="Row">The row number the spreadsheet shows (the export's header is row 1).</param>
/// <param name="Code">Stable: the reader's (`line-id-missing`, `result-unknown`, …, see api-specs/payment-files.md), or `line-not-on-list`,
/// `amount-differs`, `id-number-differs`, `line-not-payable` (a held duplicate), `result-conflict` (the line already has another result).</param>
public sealed record ReconciliationErrorResponse(int Row, Guid? LineId, string Column, string Code, string Message);

/// <summary>What the file did: each row is applied, unchanged (the line already had that very result) or an error.</summary>
/// <param name="Rows">Rows read (blank rows skipped).</param>
/// <param name="Applied">Lines that received their result now.</param>
/// <param name="Unchanged">Lines that already had the same result (the same file sent again changes nothing).</param>
/// <param name="Errors">Rows not applied; the first 1,000 are listed in `lineErrors`.</param>
/// <param name="Released">Of the applied, the lines not paid (failed, unclaimed, wrong account): their months go on the next list.</param>
/// <param name="ProposedSuspensions">Entitlements whose last three monthly lines are now unclaimed: a suspension proposal awaits staff.</param>
/// <param name="Unreconciled">Payable lines of the list still without a result after this file.</param>
public sealed record ReconciliationResponse(Guid ListId, int Rows, int Applied, int Unchanged, int Errors, int Released, int ProposedSuspensions,
    int Unreconciled, IReadOnlyList<ReconciliationErrorResponse> LineErrors);

public sealed record ReconcilePaymentList(Guid Id, Caller Caller, Stream Body, string? ContentType) : ICommand<ReconciliationResponse>;

/// <summary>
/// The payer's results for an approved list (issue 19, part 4). The whole file is read and checked first (a file-level
/// problem: 400/413/415 and nothing applied); then ONE write transaction classifies every row against the list as it is at
/// that moment and applies the good ones: result and time on the line, the months of a line not paid released
/// (<c>payment_line_month.released</c>) so the next generation takes them again, one outbox event per line
/// (<see cref="PaidEvent"/>/<see cref="FailedEvent"/>, ids and status only), a paid one-off payable settled (status
/// <c>paid</c>), and a suspension proposal for an entitlement
/// unclaimed <see cref="UnclaimedPayments.ConsecutiveLists"/> lists running. A crash leaves the whole file applied or none
/// of it; re-sending a file applies only what is still missing. A line never changes its result once set: a different one
/// is a per-row error (corrections are agreed with the payer and go on the next list, not rewritten here).
/// </summary>
public sealed class ReconcilePaymentListHandler(Db db, PayerListLines lines, IOptions<PayerFileOptions> limits, TimeProvider clock)
    : ICommandHandler<ReconcilePaymentList, ReconciliationResponse>
{
    public const string PaidEvent = "PaymentLinePaid";
    public const string FailedEvent = "PaymentLineFailed";
    private const int ListedErrors = 1000;

    /// <summary>The media types a result file may come as; the format itself is recognised from the content.</summary>
    public static readonly IReadOnlyList<string> MediaTypes = ["text/csv", PayerXlsxExport.ContentType, "application/octet-stream"];

    public async ValueTask<ReconciliationResponse> Handle(ReconcilePaymentList cmd, CancellationToken ct)
    {
        var list = await db.SingleOrDefaultAsync<PaymentListRow>(PaymentLists.Sql.One, new { cmd.Id }, ct);
        PaymentListAccess.Check(cmd.Caller, list, cmd.Id, Scopes.WritePayments);
        var media = cmd.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (media is null || !MediaTypes.Contains(media))
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Định dạng tệp không được hỗ trợ",
                $"Gửi tệp kết quả với Content-Type là một trong: {string.Join(", ", MediaTypes)}.");
        if (list!.Status != PaymentListStatus.Approved)
            throw ProblemException.Conflict("payment-list-not-approved", "Danh sách chi trả chưa được phê duyệt",
                "Chỉ danh sách đã phê duyệt và gửi cho tổ chức chi trả mới nhận kết quả chi trả.");

        var rows = await ReadAsync(cmd.Body, ct);
        var listed = (await lines.LinesAsync(list.Id, withAccounts: false, ct)).ToDictionary(l => l.Exported.LineId);
        var now = clock.GetUtcNow();
        var errors = new List<PayerRowError>();
        var lineOf = new Dictionary<int, Guid?>();
        var candidates = new List<(PayerResultRow Row, ListedLine Line)>();
        foreach (var row in rows)
        {
            lineOf[row.Row] = row.LineId;
            if (!row.IsValid) { errors.AddRange(row.Errors); continue; }
            listed.TryGetValue(row.LineId!.Value, out var line);
            if (line is { Kind: LineKinds.HeldDuplicate })
            {
                errors.Add(new(row.Row, PayerColumns.LineId, "line-not-payable",
                    $"Dòng {row.LineId} là hồ sơ đang tạm giữ vì nghi trùng: không chi trả, không nhận kết quả."));
                continue;
            }
            var compared = PayerResultReader.Compare(row, line?.Exported);
            if (compared.Count > 0) { errors.AddRange(compared); continue; }
            candidates.Add((row, line!));
        }

        int applied = 0, unchanged = 0, released = 0, proposed = 0;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            // The lines' results as they stand inside the writer's turn: two uploads of one file cannot both apply a line.
            var current = (await tx.QueryAsync<(Guid Id, string? Result)>(Sql.Results, new { list.Id })).ToDictionary(r => r.Id, r => r.Result);
            var apply = new List<(Guid Id, string Result, Guid? EntitlementId)>();
            foreach (var (row, line) in candidates)
            {
                var wire = row.Result!.Value.WireName();
                var stands = current[line.Exported.LineId];
                if (stands is null) apply.Add((line.Exported.LineId, wire, line.EntitlementId));
                else if (stands == wire) unchanged++;
                else
                    errors.Add(new(row.Row, PayerColumns.Result, "result-conflict",
                        $"Dòng đã có kết quả \"{stands}\"; không ghi đè bằng \"{wire}\". Nếu kết quả trước sai, thống nhất với tổ chức chi trả và điều chỉnh ở danh sách tháng sau."));
            }
            await tx.ExecuteAsync(Sql.SetResult, apply.Select(a => new { a.Id, a.Result, Now = now, List = list.Id }));
            // A one-off paid is settled: never due again. One not paid stays due, its line's month released for the next list.
            await tx.ExecuteAsync(Sql.SettlePayable, apply.Where(a => a.Result == PayerResult.Paid.WireName()).Select(a => new { a.Id }));
            var notPaid = apply.Where(a => a.Result != PayerResult.Paid.WireName()).ToList();
            await tx.ExecuteAsync(Sql.Release, notPaid.Select(a => new { a.Id }));
            // Ids and status only: no name, amount, account, month or group.
            await tx.ExecuteAsync(Sql.AppendEvent, apply.Select(a => new
            {
                EventId = Guid.CreateVersion7(),
                Procedure = ApprovePaymentListHandler.EventProcedure,
                list.WardCode,
                Type = a.Result == PayerResult.Paid.WireName() ? PaidEvent : FailedEvent,
                Status = a.Result,
                At = now,
                a.EntitlementId,
                List = list.Id,
                Line = a.Id,
            }));
            foreach (var entitlement in notPaid.Where(a => a.Result == UnclaimedPayments.Unclaimed && a.EntitlementId is not null).Select(a => a.EntitlementId!.Value))
                if (await ProposeSuspensionAsync(tx, entitlement, now)) proposed++;
            applied = apply.Count;
            released = notPaid.Count;
            await tx.CommitAsync();
        }
        var unreconciled = await db.SingleOrDefaultAsync<long>(Sql.Unreconciled, new { list.Id }, ct);
        return new(list.Id, rows.Count, applied, unchanged, errors.Count, released, proposed, (int)unreconciled,
            [.. errors.OrderBy(e => e.Row).Take(ListedErrors).Select(e => new ReconciliationErrorResponse(e.Row, lineOf.GetValueOrDefault(e.Row), e.Column, e.Code, e.Message))]);
    }

    /// <summary>The whole file, buffered (at most <see cref="PayerFileOptions.MaxBytes"/>) and read to its end before anything is written.</summary>
    private async Task<IReadOnlyList<PayerResultRow>> ReadAsync(Stream body, CancellationToken ct)
    {
        var max = limits.Value.MaxBytes;
        using var file = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (file.Length + n > max) throw FileProblem(new PayerFileException("file-too-large", TooLarge(max)));
            file.Write(chunk, 0, n);
        }
        file.Position = 0;
        try
        {
            return [.. PayerResultReader.Read(file, limits.Value)];
        }
        catch (PayerFileException e)
        {
            throw FileProblem(e);
        }
    }

    private static string TooLarge(long max) =>
        "Tệp lớn hơn giới hạn " + (max / (1024.0 * 1024)).ToString("0.#", CultureInfo.GetCultureInfo("vi-VN")) + " MB.";

    private static ProblemException FileProblem(PayerFileException e) => new(
        e.Code is "file-too-large" or "too-many-rows" or "unpacked-too-large" ? StatusCodes.Status413PayloadTooLarge
        : e.Code is "xls-not-supported" or "not-a-table" ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status400BadRequest,
        "payer-file-" + e.Code, "Không nhận được tệp kết quả chi trả", e.Message + " Không dòng nào được ghi nhận.");

    /// <summary>The entitlement's last reconciled monthly lines, newest list first; the third unclaimed in a row proposes a suspension.</summary>
    private async Task<bool> ProposeSuspensionAsync(DbWrite tx, Guid entitlementId, DateTimeOffset now)
    {
        var latest = await tx.QueryAsync<(string Result, string Month)>(db.Dialect.Limit(Sql.LatestResults),
            new { EntitlementId = entitlementId, Limit = UnclaimedPayments.ConsecutiveLists });
        if (!UnclaimedPayments.ProposesSuspension([.. latest.Select(l => l.Result)])) return false;
        var months = latest.Select(l => l.Month).Reverse().ToList();
        return await EntitlementProposals.ProposeAsync(tx, entitlementId, UnclaimedPayments.ProposalKind, new ProposalDetails(UnclaimedMonths: months),
            $"Kết quả chi trả: không nhận tiền {months.Count} tháng liên tiếp (danh sách {string.Join(", ", months)})", now);
    }

    internal static class Sql
    {
        public const string Results = "SELECT id, result FROM payment_line WHERE list_id = @Id";
        public const string SetResult = """
            UPDATE payment_line SET result = @Result, result_at = @Now WHERE id = @Id AND list_id = @List AND result IS NULL
            """;
        public const string Release = "UPDATE payment_line_month SET released = 1 WHERE line_id = @Id";
        public const string SettlePayable = "UPDATE payable SET status = 'paid' WHERE id = (SELECT payable_id FROM payment_line WHERE id = @Id)";
        public const string AppendEvent = """
            INSERT INTO integration_event (id, dossier_id, dossier_code, procedure_code, ward_code, client_id, event_type, status_after, version, occurred_at,
                entitlement_id, payment_list_id, payment_line_id)
            VALUES (@EventId, NULL, NULL, @Procedure, @WardCode, NULL, @Type, @Status, 1, @At, @EntitlementId, @List, @Line)
            """;
        public const string LatestResults = """
            SELECT l.result, p.month FROM payment_line l JOIN payment_list p ON p.id = l.list_id
            WHERE l.entitlement_id = @EntitlementId AND l.result IS NOT NULL
            ORDER BY p.month DESC
            """;
        public const string Unreconciled = "SELECT COUNT(*) FROM payment_line WHERE list_id = @Id AND result IS NULL AND kind <> 'held-duplicate'";
    }
}
