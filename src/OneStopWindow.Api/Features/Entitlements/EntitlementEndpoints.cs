using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

public static class EntitlementSetup
{
    public static IServiceCollection AddEntitlements(this IServiceCollection services)
    {
        services.AddSingleton<EntitlementRegister>();
        services.AddScoped<EntitlementViews>();
        services.AddScoped<EntitlementSummaries>();
        services.AddScoped<EntitlementActionRunner>();
        services.AddScoped<PaymentMethods.PaymentMethodViews>();
        services.AddScoped<PaymentMethods.PaymentMethodWriter>();
        services.AddSingleton<PaymentMethods.PayerAccounts>();
        services.AddSettings<RegisterOptions>(RegisterOptions.Section);
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, HoldUnverifiedSchedule>();
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, AnnounceAmountChangesSchedule>();
        return services;
    }
}

/// <summary>Request bodies of the entitlement actions, each valid when sent as is to an entitlement in the right status.</summary>
public static class EntitlementExamples
{
    public static IReadOnlyDictionary<string, Func<JsonNode>> ByOperation { get; } = new Dictionary<string, Func<JsonNode>>(StringComparer.Ordinal)
    {
        ["SuspendEntitlement"] = () => new JsonObject { ["reason"] = "reverification", ["note"] = "Trưởng thôn báo người hưởng không còn ở địa chỉ đăng ký; xác minh lại." },
        ["ResumeEntitlement"] = () => new JsonObject { ["note"] = "Đã xác minh: người hưởng vẫn cư trú tại thôn 3; chi trả tiếp, truy lĩnh các tháng tạm dừng." },
        ["EndEntitlement"] = () => new JsonObject
        {
            ["reason"] = "no-longer-eligible",
            ["lastMonth"] = null,
            ["note"] = "Quyết định 15/QĐ-UBND: người hưởng đã có người phụng dưỡng.",
        },
        ["ReportEntitlementDeath"] = () => new JsonObject
        {
            ["dateOfDeath"] = "2025-11-20",
            ["note"] = "Trích lục khai tử số 12/TLKT-UBND ngày 22/11/2025; trưởng thôn 3 báo tin.",
        },
        ["SetPaymentMethod"] = () => new JsonObject
        {
            ["method"] = "bank-account",
            ["bankCode"] = "970405",
            ["bankName"] = "Agribank chi nhánh Phú Thọ",
            ["accountNumber"] = "2700 2050 12345",
            ["accountHolder"] = "Nguyễn Thị Lan",
        },
        ["SetMyPaymentMethod"] = () => new JsonObject
        {
            ["method"] = "e-wallet",
            ["walletProvider"] = "VNPT Money",
            ["walletNumber"] = "0912 345 678",
        },
        ["ReportEntitlementMove"] = () => new JsonObject
        {
            ["newResidence"] = "Tổ 5, phường Việt Trì (ở cùng con gái)",
            ["note"] = "Trưởng thôn báo ngày 02/12; gia đình sẽ nộp hồ sơ chuyển nơi hưởng (BTXH-02).",
        },
        ["ConfirmEntitlementProposal"] = () => new JsonObject
        {
            ["note"] = "Đã gọi điện cho con trai người hưởng và trưởng thôn 3: xác nhận đúng.",
            ["dateOfDeath"] = null,
        },
        ["DismissEntitlementProposal"] = () => new JsonObject
        {
            ["note"] = "Người hưởng đã đến UBND xã ngày 06/12 cùng căn cước; dữ liệu dân cư chưa cập nhật, đã báo công an xã.",
        },
    };
}

/// <summary>
/// The benefit register: a ward's entitlements, one entitlement with its history and this month's amount, the staff
/// actions on it (each through the entitlement's transition table, printed in its description), and the signed-in
/// beneficiary's own benefits.
/// </summary>
public static class EntitlementEndpoints
{
    public static IEndpointRouteBuilder MapEntitlements(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/wards/{wardCode}/entitlements", Ward).WithTags("Benefit register").RequireAuthorization(Policies.Staff)
            .WithName("GetWardEntitlements")
            .WithSummary("A ward's register of entitlements")
            .WithDescription("Ward officers and the chair of that ward; provincial officers and administrators for any ward. Another ward's staff: 403. " +
                "Filters: status (Active, Suspended, Ended, Transferred), benefit (BTXH-01 social allowance, BTXH-05 social pension). " +
                "Keyset paging: pass `nextAfter` back as `after`. Every page read is access-logged.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapGet("/api/v1/entitlements/{id:guid}", One).WithTags("Benefit register").RequireAuthorization(Policies.Staff)
            .WithName("GetEntitlement")
            .WithSummary("One entitlement: months, status, bases, history and the amount of the current month (or of `month`)")
            .WithDescription("Provincial officers, or staff of the entitlement's ward; anyone else gets 404. A rule-based entitlement's amount is computed " +
                "for the month from the rules in force that month (Decree 20/2021 Art. 6: coefficient × standard level; Decree 176/2025: the social " +
                "pension); an imported one shows the imported amount, the rules' amount and the difference. The response's ETag is the entitlement's " +
                "version (send it as If-Match on an action). Access-logged.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var actions = app.MapGroup("/api/v1/entitlements/{id:guid}").WithTags("Benefit register").RequireAuthorization(Policies.Staff);
        Describe(actions.MapPost("/suspension", (Guid id, SuspendEntitlementRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http,
                IMediator m, CancellationToken ct) => Send(http, m.Send(new SuspendEntitlement(id, Caller.From(http.User), ifMatch, body), ct))),
            "SuspendEntitlement", "Suspend payment with a reason from the closed list", EntitlementAction.Suspend);
        Describe(actions.MapPost("/resumption", (Guid id, ResumeEntitlementRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http,
                IMediator m, CancellationToken ct) => Send(http, m.Send(new ResumeEntitlement(id, Caller.From(http.User), ifMatch, body), ct))),
            "ResumeEntitlement", "Resume a suspended entitlement", EntitlementAction.Resume);
        Describe(actions.MapPost("/end", (Guid id, EndEntitlementRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http,
                IMediator m, CancellationToken ct) => Send(http, m.Send(new EndEntitlement(id, Caller.From(http.User), ifMatch, body), ct))),
            "EndEntitlement", "End an entitlement with its last month paid", EntitlementAction.End);
        Describe(actions.MapPost("/death-report", (Guid id, ReportDeathRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http,
                IMediator m, CancellationToken ct) => Send(http, m.Send(new ReportDeath(id, Caller.From(http.User), ifMatch, body), ct))),
            "ReportEntitlementDeath", "Record a reported death: ends with the month of death; the family is offered funeral support (BTXH-03)",
            EntitlementAction.ReportDeath,
            " The applicant of the dossier that created the entitlement, if any, is notified that the family may apply for funeral support (BTXH-03).");
        Describe(actions.MapPost("/move-report", (Guid id, ReportMoveRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http,
                IMediator m, CancellationToken ct) => Send(http, m.Send(new ReportMove(id, Caller.From(http.User), ifMatch, body), ct))),
            "ReportEntitlementMove", "Record a reported move: suspended with reason `moved` pending the new ward's decision", EntitlementAction.Suspend,
            " The reason is `moved` (not owed here): the new ward's change-of-residence decision (BTXH-02) ends it with the last month this ward " +
            "paid and pays from the month after.");

        MapProposals(app);
        MapPaymentMethods(app);
        app.MapPost("/api/v1/procedures/{code}/benefit-rules/dry-run", DryRun).WithTags("Procedures").RequireAuthorization(Policies.Administrator)
            .WithName("DryRunBenefitRule").WithRequestExample(() => JsonNode.Parse("""
                {
                  "validFrom": "2040-01-01",
                  "legalText": "Ví dụ: Nghị định … nâng mức trợ cấp hưu trí xã hội lên 600.000 đồng/tháng",
                  "parameters": {
                    "standardLevel": { "vnd": 500000, "legalText": "Nghị định 76/2024/NĐ-CP", "confirmed": true },
                    "pension": {
                      "age": 75, "poorHouseholdAge": 70, "amountVnd": 600000, "provincialTopUpVnd": 0,
                      "legalText": "Ví dụ: Nghị định … sửa đổi Nghị định 176/2025/NĐ-CP", "confirmed": false
                    }
                  }
                }
                """)!)
            .WithSummary("What new benefit rules would change, before they are saved: who, by how much, from which month")
            .WithDescription("Administrators (as for recording rules). The body of `AddBenefitRule`, checked the same way (same 400, 404 and 409 " +
                "problems); nothing is saved. Every entitlement priced by the procedure's rules (`benefitCode` = the procedure: BTXH-01, BTXH-05) " +
                "that is Active, Suspended with owed months, or ends on or after `validFrom`'s month is compared month by month, the current rules " +
                "against the new, each month with itself (a child moving to the next age band or a person turning 80 is not the change's effect). " +
                "A rule-based entitlement changes from the first such month where they differ; an imported record keeps its imported amount until " +
                "a decision of the new ward and is listed apart (`importedKept`) with the rules' amounts. The summary (counts, monthly difference, " +
                "per ward) covers all of them (or one ward's, with `ward`) on every page; the lines are paged by entitlement id: pass `nextAfter` back as `after`. Names are " +
                "masked, no group is shown; the lines returned are access-logged. Computed in the request (one pass over the benefit's register).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/v1/me/benefits", async (HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetMyBenefits(Caller.From(http.User)), ct)))
            .WithTags("Benefit register").RequireAuthorization(Policies.Citizen)
            .WithName("GetMyBenefits")
            .WithSummary("The signed-in citizen's own benefits: entitlements with status, months, this month's amount and history; one-off payments")
            .WithDescription("Citizens only (token with an `id_number` claim). Entitlements whose beneficiary is the caller (not those they applied for on " +
                "someone else's behalf); one-off payments (funeral support, emergency housing) decided on their applications. No staff-only field: no " +
                "reasons, notes, staff names or the group behind the amount.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapGet("/api/v1/integration/entitlements/{id:guid}", Client).WithTags("Integration")
            .RequireAuthorization(Policies.ClientScope(Scopes.ReadEntitlements))
            .WithName("GetClientEntitlement")
            .WithSummary("One entitlement for an integration client: the `href` of its events")
            .WithDescription($"API key with scope `{Scopes.ReadEntitlements}` (without it: 403). An entitlement of a benefit or ward outside the " +
                "client's restrictions answers 404, like an unknown id. Status, months, this month's amount and history with decision numbers — " +
                "never the group, coefficient, reasons, notes, staff names or payment accounts (events carry ids and status only; this is the " +
                "detail). Access-logged.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="id">The entitlement's id (from an event's `entitlement.id`).</param>
    private static async Task<Ok<EntitlementSummaryResponse>> Client(Guid id, HttpContext http, IMediator m, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await m.Send(new GetClientEntitlement(id, Caller.From(http.User)), ct));
    }

    /// <summary>The proposals of the periodic check against the population registry, for ward staff to confirm or dismiss.</summary>
    private static void MapProposals(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/wards/{wardCode}/entitlement-proposals", WardProposals).WithTags("Benefit register").RequireAuthorization(Policies.Staff)
            .WithName("GetWardEntitlementProposals")
            .WithSummary("A ward's proposals from the population-registry check (default: the open ones)")
            .WithDescription("Ward officers and the chair of that ward; provincial officers and administrators for any ward. Another ward's staff: 403. " +
                "The recurring job `check-beneficiaries-with-registry` asks the population registry about every Active entitlement's person and proposes " +
                "a death report (`death`, with the registry's date of death) or a move report (`move`, the ward the registry has the person living in); " +
                "the payer's results propose a suspension (`unclaimed`) when an entitlement's last three monthly lines were not collected. " +
                "Nothing changes until staff confirm; each item shows the entitlement's status now (only an Active one's proposal can be confirmed). " +
                "Keyset paging: pass `nextAfter` back as `after`. Every page read is access-logged.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        var proposals = app.MapGroup("/api/v1/entitlement-proposals/{id:guid}").WithTags("Benefit register").RequireAuthorization(Policies.Staff);
        proposals.MapPost("/confirmation", async (Guid id, ConfirmEntitlementProposalRequest body, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ConfirmEntitlementProposal(id, Caller.From(http.User), body), ct)))
            .WithRequestExample(EntitlementExamples.ByOperation["ConfirmEntitlementProposal"])
            .WithName("ConfirmEntitlementProposal")
            .WithSummary("Confirm a registry finding: records the death or move report it proposes")
            .WithDescription($"""
                Who: {string.Join(", ", EntitlementRules.For(EntitlementAction.ReportDeath).Roles)} of the entitlement's ward. Runs the same report as one
                made at the ward, through the entitlement's transition table: `death` → the death report (ends with the month of death, not owed after
                it; the family is offered funeral support, BTXH-03), with the registry's date unless `dateOfDeath` gives the one on the death
                certificate extract; `move` → the move report (suspended, reason `moved`, pending the new ward's BTXH-02 decision); `unclaimed` → a
                suspension with reason `other` (the months stay owed) while the ward finds out why nothing was collected. The history row
                names the registry and the officer's note. Answers the proposal (confirmed) and the entitlement. Another ward's proposal: 404; a role
                the report's row does not list: 403; a proposal no longer open or an entitlement no longer Active: 409.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        proposals.MapPost("/dismissal", async (Guid id, DismissEntitlementProposalRequest body, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new DismissEntitlementProposal(id, Caller.From(http.User), body), ct)))
            .WithRequestExample(EntitlementExamples.ByOperation["DismissEntitlementProposal"])
            .WithName("DismissEntitlementProposal")
            .WithSummary("Dismiss a registry finding with a note; the entitlement is untouched")
            .WithDescription("Ward officers and the chair of the entitlement's ward; the note (required) says why the finding does not hold. The same " +
                "finding is not proposed again; a different date or ward is. Another ward's proposal: 404; provincial officers: 403; a proposal no " +
                "longer open: 409.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <param name="wardCode">Current 5-digit ward code.</param>
    /// <param name="status">open (default), confirmed or dismissed.</param>
    /// <param name="limit">Page size 1–200 (default 50).</param>
    /// <param name="after">`nextAfter` of the previous page.</param>
    private static async Task<Ok<EntitlementProposalPageResponse>> WardProposals(string wardCode, string? status, int? limit, string? after, HttpContext http,
        IMediator m, CancellationToken ct) =>
        TypedResults.Ok(await m.Send(new GetWardProposals(wardCode, Caller.From(http.User), status, limit, after), ct));

    private const string PaymentMethodText =
        "Methods (closed list): `bank-account` (bankCode = the bank's 6-digit NAPAS BIN, bankName, accountNumber 6–19 digits, accountHolder), " +
        "`e-wallet` (walletProvider, walletNumber = a Vietnamese mobile number), `post-office-cash` (postOfficePoint), `home-delivery` " +
        "(deliveryAddress, homeDeliveryGround `elderly` or `disability`: only when the register's data shows it — 60 or over, or a disability " +
        "group — else 422 `home-delivery-not-eligible`). Fields of another method: 400. Account and wallet numbers are stored sealed and shown " +
        "only as their last 4 digits, to every reader. The method is the person's, for all their benefits. Every change writes an audit row " +
        "(who, channel, method before and after — never a number) and notifies the beneficiary on the dossier behind their latest benefit. " +
        "`If-Match` with the last ETag (the method's version, \"0\" before any) is optional; when sent and stale: 412. Every read is access-logged.";

    private static void MapPaymentMethods(IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/v1/entitlements/{id:guid}/payment-method").WithTags("Benefit register").RequireAuthorization(Policies.Staff);
        staff.MapGet("", async (Guid id, HttpContext http, IMediator m, CancellationToken ct) =>
                Tagged(http, await m.Send(new PaymentMethods.GetPaymentMethod(id, Caller.From(http.User)), ct), r => r.Version))
            .WithName("GetPaymentMethod")
            .WithSummary("How the beneficiary of an entitlement is paid (numbers masked), with the history of changes")
            .WithDescription("Provincial officers, or staff of the entitlement's ward; anyone else gets 404. " + PaymentMethodText)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPut("", async (Guid id, PaymentMethods.SetPaymentMethodRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http,
                IMediator m, CancellationToken ct) =>
                Tagged(http, await m.Send(new PaymentMethods.SetPaymentMethod(id, Caller.From(http.User), ifMatch, body), ct), r => r.Version))
            .WithRequestExample(EntitlementExamples.ByOperation["SetPaymentMethod"])
            .WithName("SetPaymentMethod")
            .WithSummary("Record how the beneficiary of an entitlement is paid: bank account, e-wallet, cash at the post office, or home delivery")
            .WithDescription("Ward officers and chairs of the entitlement's ward, and provincial officers, through an Active or Suspended " +
                "entitlement (a closed one: 409 `entitlement-closed`); another ward's staff: 404; administrators: 403. " + PaymentMethodText)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var mine = app.MapGroup("/api/v1/me/benefits/payment-method").WithTags("Benefit register").RequireAuthorization(Policies.Citizen);
        mine.MapGet("", async (HttpContext http, IMediator m, CancellationToken ct) =>
                Tagged(http, await m.Send(new PaymentMethods.GetMyPaymentMethod(Caller.From(http.User)), ct), r => r.Version))
            .WithName("GetMyPaymentMethod")
            .WithSummary("How the signed-in beneficiary is paid (numbers masked), with the history of changes")
            .WithDescription("Citizens only (token with an `id_number` claim), for their own benefits; someone the register pays nothing: 404. " +
                "The history says when and whether staff or the beneficiary changed it, never who on the staff. " + PaymentMethodText)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        mine.MapPut("", async (PaymentMethods.SetPaymentMethodRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, IMediator m,
                CancellationToken ct) =>
                Tagged(http, await m.Send(new PaymentMethods.SetMyPaymentMethod(Caller.From(http.User), ifMatch, body), ct), r => r.Version))
            .WithRequestExample(EntitlementExamples.ByOperation["SetMyPaymentMethod"])
            .WithName("SetMyPaymentMethod")
            .WithSummary("The signed-in beneficiary changes how they are paid")
            .WithDescription("Citizens only, their own method only (the person comes from the token). Someone the register pays nothing: 404; " +
                "no benefit still open: 409 `no-open-entitlement`. " + PaymentMethodText)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static Ok<T> Tagged<T>(HttpContext http, T body, Func<T, int> version)
    {
        http.Response.Headers.ETag = $"\"{version(body)}\"";
        return TypedResults.Ok(body);
    }

    /// <param name="wardCode">Current 5-digit ward code.</param>
    /// <param name="status">One status: Active, Suspended, Ended, Transferred.</param>
    /// <param name="benefit">Benefit code (BTXH-01, BTXH-05).</param>
    /// <param name="limit">Page size 1–200 (default 50).</param>
    /// <param name="after">`nextAfter` of the previous page.</param>
    private static async Task<Ok<EntitlementPageResponse>> Ward(string wardCode, string? status, string? benefit, int? limit, string? after, HttpContext http,
        IMediator m, CancellationToken ct) =>
        TypedResults.Ok(await m.Send(new GetWardEntitlements(wardCode, Caller.From(http.User), status, benefit, limit, after), ct));

    /// <param name="code">The procedure whose rules would change (BTXH-01, BTXH-05 price entitlements).</param>
    /// <param name="ward">Only this ward's entitlements (summary and lines), 5 digits; default: the whole province.</param>
    /// <param name="limit">Lines per page 1–200 (default 50); the summary always covers every entitlement asked for.</param>
    /// <param name="after">`nextAfter` of the previous page.</param>
    private static async Task<Ok<BenefitRuleDryRunResponse>> DryRun(string code, Procedures.BenefitRules.AddBenefitRuleRequest request, string? ward,
        int? limit, string? after, HttpContext http, IMediator m, CancellationToken ct) =>
        TypedResults.Ok(await m.Send(new DryRunBenefitRule(code, request, Caller.From(http.User), ward, limit, after), ct));

    /// <param name="id">The entitlement's id.</param>
    /// <param name="month">"yyyy-MM": the month whose amount is shown (default: the current month).</param>
    private static async Task<Ok<EntitlementResponse>> One(Guid id, string? month, HttpContext http, IMediator m, CancellationToken ct)
    {
        var e = await m.Send(new GetEntitlement(id, Caller.From(http.User), month), ct);
        http.Response.Headers.ETag = $"\"{e.Version}\"";
        return TypedResults.Ok(e);
    }

    private static async Task<Ok<EntitlementResponse>> Send(HttpContext http, ValueTask<EntitlementResponse> action)
    {
        var e = await action;
        http.Response.Headers.ETag = $"\"{e.Version}\"";
        return TypedResults.Ok(e);
    }

    private static string System(IReadOnlySet<string> roles) => roles.Contains(Roles.System) ? " (and the system's own steps)" : "";

    private static void Describe(RouteHandlerBuilder route, string name, string summary, EntitlementAction action, string more = "")
    {
        var t = EntitlementRules.For(action);
        route.WithRequestExample(EntitlementExamples.ByOperation[name]);
        route.WithName(name).WithSummary(summary)
            .WithDescription($"""
                Who: {string.Join(", ", t.Roles.Where(r => r != Roles.System))} of the entitlement's ward{System(t.Roles)}.
                From status: {string.Join(", ", t.From)}{(t.To is { } to ? $" → {to}" : " (status unchanged)")}. {t.Rule}{more}
                Another ward's entitlement: 404; a role the table does not list: 403 (before any status check); a status it does not list: 409.
                `If-Match` with the ETag of the last read is optional; when sent and stale: 412. The history row keeps the reason (staff-only); the
                outbox event carries ids and status only.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }
}
