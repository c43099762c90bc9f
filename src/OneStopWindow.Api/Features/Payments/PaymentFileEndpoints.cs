using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.OpenApi;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>
/// The payer's two files of an approved list (issue 19, parts 3 and 4): the export it pays from, and its results sent back.
/// Both answer staff (their own ward's lists; provincial officers and administrators every ward's) and integration clients
/// (the payer organisation) holding the scope, within the wards and procedures their key allows.
/// </summary>
public static class PaymentFileEndpoints
{
    /// <summary>A result row the example sends as is: a line id no list has, so it applies nothing and comes back as a per-line error.</summary>
    public const string ExampleResults =
        "line_id,full_name,id_number,method,account,amount_vnd,period_from,period_to,result,paid_on,note\r\n" +
        "0199a1b2-0000-8000-8000-000000000001,Nguyễn Thị Ánh,025185000123,post-office-cash,Bưu điện xã Thanh Ba,1000000,2026-11,2026-11,đã chi,05/12/2026,\r\n";

    public static IEndpointRouteBuilder MapPaymentFiles(this IEndpointRouteBuilder app)
    {
        var one = app.MapGroup("/api/v1/payment-lists/{id:guid}").WithTags("Payment lists").RequireAuthorization();
        one.MapGet("/export", Export)
            .WithName("ExportPaymentList")
            .WithSummary("The approved list as the payer's file (CSV or XLSX)")
            .WithDescription($"""
                Ward officers and the chair of the list's ward, provincial officers and administrators, and integration clients (the payer
                organisation) with scope `{Scopes.ReadPayments}` for the list's ward (a list spans benefits: a client restricted to procedures
                does not see it). Others who may not see the list: 404; a client without the scope or a
                citizen: 403. Only an Approved list (a Draft: 409 `payment-list-not-approved`). `format` is `csv` or `xlsx`; without it the
                `Accept` header decides (the XLSX media type → xlsx), else CSV. Columns in api-specs/payment-files.md: line id, name, identity
                number, method, account, amount, period, and the empty result columns — never the group, coefficient or reason; held duplicates
                are not sent. The same list gives the same bytes every time (lines by id; the XLSX dated by the approval) as long as the
                payees' recorded names and accounts are unchanged. The file opens identity and account numbers: every export is
                access-logged (who, which list, which entitlements). `Content-Disposition: attachment` with a file name of ward, month and
                list id only.
                """)
            .Produces<byte[]>(StatusCodes.Status200OK, "text/csv", PayerXlsxExport.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        one.MapPost("/results", Results)
            // "*/*" lets every request reach authorization; the handler refuses other formats with 415 (as the beneficiary import does).
            .Accepts<string>("text/csv", PayerXlsxExport.ContentType, RequestExamples.AnyContentType)
            .WithRequestExample(() => JsonValue.Create(ExampleResults))
            .WithName("ReconcilePaymentList")
            .WithSummary("Send the payer's result file for an approved list")
            .WithDescription($"""
                Ward officers and the chair of the list's ward, provincial officers, and integration clients with scope `{Scopes.WritePayments}`
                for the list's ward (else as the export: 404 / 403). The body is the file itself: the export with `result` (and optionally
                `paid_on`, `note`) filled in, as CSV or XLSX, as written or re-saved by a spreadsheet — `Content-Type` `text/csv`,
                `{PayerXlsxExport.ContentType}` or `application/octet-stream` (other: 415); the format is recognised from the content. Up to
                `PayerFiles:MaxBytes` (default 20 MB; this endpoint alone lifts the server's request limit to it). The whole file is read
                first: a file-level problem answers 400 (unreadable, missing columns…), 413 (too large, too many rows) or 415 (.xls, not a
                table) as `payer-file-<code>` and applies nothing. Then one transaction applies every good row matched by `line_id` to a line of
                THIS list: `paid` settles it; `failed`, `unclaimed`, `wrong-account` settle it unpaid and release its months to the next list's
                generation. A line that already has the same result is counted `unchanged` (the same file twice changes nothing); another
                result is a per-line error `result-conflict` (no silent overwrite). Per-line errors (row, line id, Vietnamese message): the
                reader's own, `line-not-on-list`, `amount-differs`, `id-number-differs`, `line-not-payable` (a held duplicate). An entitlement
                whose last three monthly lines are unclaimed gets a suspension proposal (`unclaimed`) for staff to confirm. Only an Approved
                list (409). Each applied line writes `{ReconcilePaymentListHandler.PaidEvent}` or `{ReconcilePaymentListHandler.FailedEvent}`
                (ids and status only) to the event feed and webhooks. Answers 200 with the counts and the first 1,000 per-line errors.
                """)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    /// <param name="id">The payment list.</param>
    /// <param name="format">`csv` or `xlsx`; default by the Accept header, else csv.</param>
    private static async Task<FileContentHttpResult> Export(Guid id, string? format, HttpContext http, IMediator m, CancellationToken ct)
    {
        var chosen = format ?? (http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(PayerXlsxExport.ContentType, StringComparison.OrdinalIgnoreCase))
            ? PaymentListAccess.Xlsx : PaymentListAccess.Csv);
        var file = await m.Send(new ExportPaymentList(id, Caller.From(http.User), chosen.ToLowerInvariant()), ct);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.File(file.Bytes, file.ContentType, file.FileName);
    }

    /// <param name="id">The payment list.</param>
    private static async Task<Ok<ReconciliationResponse>> Results(Guid id, HttpContext http, IMediator m, IOptions<PayerFileOptions> limits,
        CancellationToken ct)
    {
        // A result file is larger than any other request: this endpoint alone lifts the server's body limit to the payer files' own.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = limits.Value.MaxBytes + 1;
        return TypedResults.Ok(await m.Send(new ReconcilePaymentList(id, Caller.From(http.User), http.Request.Body, http.Request.ContentType), ct));
    }
}
