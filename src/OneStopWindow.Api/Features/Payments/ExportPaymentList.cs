using Mediator;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>The payer's file of one list, built in memory (a ward's list is a few thousand lines: well under a megabyte).</summary>
public sealed record PaymentListFile(string FileName, string ContentType, byte[] Bytes);

/// <param name="Format">`csv` or `xlsx`.</param>
public sealed record ExportPaymentList(Guid Id, Caller Caller, string Format) : IQuery<PaymentListFile>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Format is not (PaymentListAccess.Csv or PaymentListAccess.Xlsx)) yield return new("format", "Định dạng tệp là csv hoặc xlsx.");
    }
}

/// <summary>
/// The export of an approved list to its payer (issue 19, part 3): the list's payable lines in a fixed order, written by the
/// deterministic CSV or XLSX writer, so the same list gives the same bytes every time. Who may: see
/// <see cref="PaymentListAccess.Check"/> (staff of the list's ward, provincial officers, clients with <c>payments:read</c>);
/// a Draft is 409. The file opens identity and account numbers: every export is access-logged, the list and each
/// entitlement on it, and nothing of the file reaches a log.
/// </summary>
public sealed class ExportPaymentListHandler(Db db, PayerListLines lines, AccessRecorder accessLog) : IQueryHandler<ExportPaymentList, PaymentListFile>
{
    public async ValueTask<PaymentListFile> Handle(ExportPaymentList query, CancellationToken ct)
    {
        var list = await db.SingleOrDefaultAsync<PaymentListRow>(PaymentLists.Sql.One, new { query.Id }, ct);
        PaymentListAccess.Check(query.Caller, list, query.Id, Scopes.ReadPayments);
        if (list!.Status != PaymentListStatus.Approved)
            throw ProblemException.Conflict("payment-list-not-approved", "Danh sách chi trả chưa được phê duyệt",
                "Chỉ danh sách đã được Chủ tịch UBND xã/phường phê duyệt mới được gửi cho tổ chức chi trả.");
        var header = await lines.HeaderAsync(list, ct);
        var listed = await lines.LinesAsync(list.Id, withAccounts: true, ct);
        var payable = listed.Where(l => l.Kind != Domain.Payments.LineKinds.HeldDuplicate).Select(l => l.Exported).ToList();
        using var file = new MemoryStream();
        if (query.Format == PaymentListAccess.Csv) await PayerCsvExport.WriteAsync(file, payable, ct);
        else PayerXlsxExport.Write(file, header, payable);
        accessLog.Record(query.Caller, AccessKinds.PaymentListExport, "payment-list", [list.Id]);
        var paid = listed.Where(l => l.EntitlementId is not null).Select(l => l.EntitlementId!.Value).ToList();
        if (paid.Count > 0) accessLog.Record(query.Caller, AccessKinds.PaymentListExport, "entitlement", paid);
        // The name says which list; nothing in it is personal.
        return new($"danh-sach-chi-tra-{list.WardCode}-{list.Month}-{list.Id:N}.{query.Format}",
            query.Format == PaymentListAccess.Csv ? PayerCsvExport.ContentType : PayerXlsxExport.ContentType, file.ToArray());
    }
}

/// <summary>Who may export a list or send its results, in one place.</summary>
public static class PaymentListAccess
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";

    /// <summary>
    /// As for the list's events: by ward, under the code <see cref="ApprovePaymentListHandler.EventProcedure"/>, which is no catalogue
    /// procedure — a list spans benefits, so a client restricted to procedures does not see it.
    /// </summary>
    public static bool ClientSees(ClientAccess client, string wardCode) => client.Sees(ApprovePaymentListHandler.EventProcedure, wardCode, null);

    /// <summary>
    /// Staff as for reading the list (their own ward's; provincial officers and administrators every ward's), and integration
    /// clients holding <paramref name="scope"/> for the wards and procedures their key allows. A client without the scope, a
    /// citizen: 403. A list the caller may not see: 404, so ids cannot be probed.
    /// </summary>
    public static void Check(Caller caller, PaymentListRow? list, Guid id, string scope)
    {
        if (caller.Client is { } client)
        {
            if (!client.Has(scope))
                throw ProblemException.Forbidden($"Khóa tích hợp này không có quyền '{scope}'.");
            if (list is null || !ClientSees(client, list.WardCode)) throw PaymentLists.NotFound(id);
            return;
        }
        if (!caller.IsStaff) throw ProblemException.Forbidden("Chỉ cán bộ xã/phường, cán bộ cấp tỉnh hoặc tổ chức chi trả được ủy quyền.");
        if (list is null || !PaymentLists.Sees(caller, list.WardCode)) throw PaymentLists.NotFound(id);
    }
}
