using Hangfire;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Features.Payments;

public static class PaymentSetup
{
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddScoped<PaymentListGenerator>();
        services.AddSettings<PaymentOptions>(PaymentOptions.Section);
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, GeneratePaymentListsSchedule>();
        return services;
    }
}

/// <summary>
/// The monthly payment lists (issue 19): a ward's lists, one list with its lines, (re)drafting a ward's list, the drafting
/// of every ward's, and the chair's approval that locks a list for ever.
/// </summary>
public static class PaymentEndpoints
{
    private const string Lines =
        "A line pays one entitlement (`regular`: the list's month with any arrears; `arrears`: only earlier months — a decision signed after its " +
        "effective month, an owed hold resolved), one one-off payable (`one-off`), or shows a legacy record held as a possible duplicate " +
        "(`held-duplicate`: amount 0, not payable, for a decision). No month of an entitlement is on two live lines (the database refuses it); " +
        "months in a hold whose reason is not owed (death reported, moved) and months after the end are never listed.";

    public static IEndpointRouteBuilder MapPayments(this IEndpointRouteBuilder app)
    {
        var ward = app.MapGroup("/api/v1/wards/{wardCode}/payment-lists").WithTags("Payment lists").RequireAuthorization(Policies.Staff);
        ward.MapGet("", async (string wardCode, int? limit, string? after, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetWardPaymentLists(wardCode, Caller.From(http.User), limit, after), ct)))
            .WithName("GetWardPaymentLists")
            .WithSummary("A ward's monthly payment lists, latest month first")
            .WithDescription("Ward officers and the chair of that ward; provincial officers and administrators for any ward. Another ward's staff: 403. " +
                "Heads only (status, version, line count, total, lines without a payment method); read one list for its lines. Keyset paging: pass " +
                "`nextAfter` back as `after`. Access-logged.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        ward.MapPost("/{month}/generation", async (string wardCode, string month, HttpContext http, IMediator m, CancellationToken ct) =>
                Tagged(http, await m.Send(new GenerateWardPaymentList(wardCode, month, Caller.From(http.User)), ct)))
            .WithName("GenerateWardPaymentList")
            .WithSummary("Draft (or draft again) a ward's payment list for a month now")
            .WithDescription("Ward officers and the chair of that ward, and provincial officers (administrators: 403; another ward's staff: 403). " +
                "`month` is \"yyyy-MM\", at most next month (later: 422 `payment-list-too-early`). A Draft is rebuilt from scratch from the register " +
                "(its lines and months replaced in one transaction; with nothing changed, the very same lines); an Approved list never changes: 409 " +
                "`payment-list-approved` (what is still due goes on the next month's list). " + Lines + " Answers the list head; its ETag is the " +
                "list's version (send it as If-Match on the approval).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapPost("/api/v1/payment-lists/generation", Generation).WithTags("Payment lists").RequireAuthorization(Policies.Staff)
            .WithName("GeneratePaymentLists")
            .WithSummary("Draft every ward's payment list for a month, in the background")
            .WithDescription("Provincial officers only (others: 403). Starts the same run as the recurring job `generate-payment-lists` (which drafts " +
                "next month's lists daily from `Payments:ListDay`, default the 20th) for `month` (\"yyyy-MM\", default next month): each ward with " +
                "something due gets its Draft rebuilt, one ward per transaction; approved lists are left alone. A month after next: 422. Answers 202 at once.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var one = app.MapGroup("/api/v1/payment-lists/{id:guid}").WithTags("Payment lists").RequireAuthorization(Policies.Staff);
        one.MapGet("", async (Guid id, int? limit, string? after, HttpContext http, IMediator m, CancellationToken ct) =>
            {
                var list = await m.Send(new GetPaymentList(id, Caller.From(http.User), limit, after), ct);
                http.Response.Headers.ETag = $"\"{list.List.Version}\"";
                return TypedResults.Ok(list);
            })
            .WithName("GetPaymentList")
            .WithSummary("One payment list with its lines (keyset pages)")
            .WithDescription("Ward officers and the chair of the list's ward; provincial officers and administrators. Anyone else: 404. " + Lines +
                " Each line: the person's name, payment method and account masked to its last 4 digits, amount, the months it covers and, once the " +
                "payer reports, its result — never the group, coefficient or reason behind an amount. Pages of `limit` lines (1–500, default 100): " +
                "pass `nextAfter` back as `after`. The ETag is the list's version. Every page is access-logged.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapPost("/approval", async (Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m, CancellationToken ct) =>
                Tagged(http, await m.Send(new ApprovePaymentList(id, Caller.From(http.User), ifMatch), ct)))
            .WithName("ApprovePaymentList")
            .WithSummary("The ward chair approves and locks a payment list")
            .WithDescription("The chair of the list's ward only (other staff who may read it: 403; another ward's staff: 404). No body. `If-Match` " +
                "with the ETag of the list as read is required: missing → 428, stale → 412 (it was drafted again since). Only a Draft (approved: 409 " +
                "`payment-list-approved`), only one still matching the register (an entitlement on it changed since it was drafted: 409 " +
                "`payment-list-outdated`, draft it again), and only when every payable line has a payment method (else 422 " +
                "`payment-method-missing`, `errors.lines` naming the line ids). Approved, the list never changes; corrections go on the next list. " +
                $"Writes the event `{ApprovePaymentListHandler.EventType}` (ids and status only) to the event feed and webhooks.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return app;
    }

    /// <param name="month">"yyyy-MM"; default next month (Vietnam time).</param>
    private static Accepted<PaymentRunStartedResponse> Generation(string? month, HttpContext http, IBackgroundJobClient jobs)
    {
        var caller = Caller.From(http.User);
        if (caller.Role != Domain.Dossiers.Roles.ProvincialOfficer)
            throw ProblemException.Forbidden("Chỉ cán bộ cấp tỉnh lập danh sách chi trả cho mọi xã/phường.");
        if (month is not null && Domain.Entitlements.Months.Parse(month) is null)
            throw ProblemException.Validation([new("month", "Tháng theo dạng yyyy-MM.")]);
        var next = Domain.Entitlements.Months.First(
            Domain.Calendar.Appointment.DateInVietnam(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())).AddMonths(1);
        if (month is not null && Domain.Entitlements.Months.Parse(month) > next)
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "payment-list-too-early", "Chưa thể lập danh sách của tháng này",
                $"Danh sách chi trả được lập cho tháng sau ({Domain.Entitlements.Months.Format(next)}) hoặc các tháng trước đó.");
        var asked = month ?? Domain.Entitlements.Months.Format(next);
        var job = jobs.Enqueue<GeneratePaymentListsJob>(j => j.Run(asked, CancellationToken.None));
        return TypedResults.Accepted((string?)null, new PaymentRunStartedResponse(asked, job));
    }

    private static Ok<PaymentListResponse> Tagged(HttpContext http, PaymentListResponse list)
    {
        http.Response.Headers.ETag = $"\"{list.Version}\"";
        return TypedResults.Ok(list);
    }
}

/// <summary>The background run started: for which month, and its job id (the Hangfire dashboard shows it).</summary>
public sealed record PaymentRunStartedResponse(string Month, string JobId);
