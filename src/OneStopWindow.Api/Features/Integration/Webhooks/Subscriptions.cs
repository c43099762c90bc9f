using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>CIDR networks webhook URLs may reach although private or special (e.g. a receiver inside the province's network).</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>How often the worker turns new events into deliveries and hands due deliveries to Hangfire.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RelayInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits between failed attempts of one delivery; after the last one it is dead-lettered. Empty: <see cref="DefaultRetryDelays"/>.</summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    /// <summary>≈ 25 hours in 10 attempts.</summary>
    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(14),
    ];

    // Configuration binding appends to a non-empty default array, so the default lives apart.
    public IReadOnlyList<TimeSpan> Delays => RetryDelays.Length > 0 ? RetryDelays : DefaultRetryDelays;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quick retries inside one attempt (jittered exponential backoff from <see cref="QuickRetryDelay"/>).</summary>
    [Range(0, 10)]
    public int QuickRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Circuit breaker per subscriber: open after this many failing calls (half of them failing) ...</summary>
    [Range(2, 1_000_000)]
    public int BreakerMinimumThroughput { get; set; } = 6;

    /// <summary>... for this long; no attempt is spent while it is open.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A delivery job that has not finished after this long is presumed dead and its subscription handed out again. Must stay well
    /// above a job's run budget (25 s) plus one worst-case send (attempt timeout × quick retries).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 1000)]
    public int MaxSubscriptionsPerClient { get; set; } = 20;
}

/// <param name="Url">Where to POST events: http(s), reachable on a public network (see the SSRF rules in the description).</param>
/// <param name="EventTypes">Event types to receive (e.g. `RoutedToWard`, `Approved`), or `["*"]` for all.</param>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? EventTypes);

public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> EventTypes, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt);

/// <summary>The signing secret (Standard Webhooks format, `whsec_` + base64) is shown here once.</summary>
public sealed record WebhookCreatedResponse(WebhookResponse Webhook, string Secret);

public sealed record WebhookDeliveryResponse(Guid Id, Guid EventId, string Cursor, string EventType, string DossierCode, string Status, int Attempts,
    int? LastStatus, string? LastError, DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

public sealed partial record CreateWebhook(CreateWebhookRequest Request, Caller Caller) : ICommand<WebhookCreatedResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Request.Url is null) yield return new("url", "Vui lòng nhập địa chỉ nhận sự kiện.");
        if (Request.EventTypes is not { Count: > 0 and <= 50 } || Request.EventTypes.Any(t => t is null || !TypeFormat().IsMatch(t))
            || string.Join(' ', Request.EventTypes).Length > 2000)
            yield return new("eventTypes", "Chọn 1–50 loại sự kiện (ví dụ 'RoutedToWard', 'Approved') hoặc '*' cho tất cả.");
    }

    [GeneratedRegex("^(\\*|[A-Za-z]{1,64})$")]
    private static partial Regex TypeFormat();
}

public sealed record ListWebhooks(Caller Caller) : IQuery<IReadOnlyList<WebhookResponse>>;

public sealed record DeleteWebhook(Guid Id, Caller Caller) : ICommand<WebhookResponse>;

public sealed record ListDeliveries(Guid WebhookId, Caller Caller, string? Status, int? Limit) : IQuery<IReadOnlyList<WebhookDeliveryResponse>>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Status is not (null or "pending" or "delivered" or "dead")) yield return new("status", "Trạng thái là 'pending', 'delivered' hoặc 'dead'.");
        if (Limit is < 1 or > 500) yield return new("limit", "Số bản ghi mỗi trang từ 1 đến 500.");
    }
}

public sealed record Redeliver(Guid WebhookId, Guid DeliveryId, Caller Caller) : ICommand<WebhookDeliveryResponse>;

public sealed class WebhookHandlers(Db db, OutboundGuard guard, Microsoft.Extensions.Options.IOptions<WebhookOptions> options, TimeProvider clock) :
    ICommandHandler<CreateWebhook, WebhookCreatedResponse>,
    IQueryHandler<ListWebhooks, IReadOnlyList<WebhookResponse>>,
    ICommandHandler<DeleteWebhook, WebhookResponse>,
    IQueryHandler<ListDeliveries, IReadOnlyList<WebhookDeliveryResponse>>,
    ICommandHandler<Redeliver, WebhookDeliveryResponse>
{
    public async ValueTask<WebhookCreatedResponse> Handle(CreateWebhook cmd, CancellationToken ct)
    {
        if (await guard.CheckAsync(cmd.Request.Url, ct) is { } refusal) throw ProblemException.Validation([new("url", refusal)]);
        var client = cmd.Caller.Client!;
        if (await db.SingleOrDefaultAsync<long>(Sql.CountActive, new { ClientId = client.Id }, ct) >= options.Value.MaxSubscriptionsPerClient)
            throw ProblemException.Conflict("too-many-webhooks", "Đã đạt số đăng ký tối đa", $"Mỗi hệ thống có tối đa {options.Value.MaxSubscriptionsPerClient} đăng ký webhook.");
        var id = Guid.CreateVersion7();
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var types = cmd.Request.EventTypes!.Contains("*") ? "*" : string.Join(' ', cmd.Request.EventTypes!.Distinct().Order());
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.Insert, new { Id = id, ClientId = client.Id, Url = cmd.Request.Url, Types = types, Secret = secret, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
        return new(await LoadAsync(id, client.Id, ct), secret);
    }

    public async ValueTask<IReadOnlyList<WebhookResponse>> Handle(ListWebhooks query, CancellationToken ct) =>
        (await db.QueryAsync<Row>(Sql.ByClient, new { ClientId = query.Caller.Client!.Id }, ct)).Select(r => r.ToResponse()).ToList();

    public async ValueTask<WebhookResponse> Handle(DeleteWebhook cmd, CancellationToken ct)
    {
        await LoadAsync(cmd.Id, cmd.Caller.Client!.Id, ct);
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.Delete, new { cmd.Id, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
        return await LoadAsync(cmd.Id, cmd.Caller.Client!.Id, ct);
    }

    public async ValueTask<IReadOnlyList<WebhookDeliveryResponse>> Handle(ListDeliveries query, CancellationToken ct)
    {
        await LoadAsync(query.WebhookId, query.Caller.Client!.Id, ct);
        var rows = await db.QueryAsync<DeliveryRow>(db.Dialect.Limit(Sql.Deliveries),
            new { query.WebhookId, query.Status, Limit = query.Limit ?? 100 }, ct);
        return rows.Select(r => r.ToResponse()).ToList();
    }

    /// <summary>Puts a delivery back in the queue (same delivery id, so the subscriber can de-duplicate).</summary>
    public async ValueTask<WebhookDeliveryResponse> Handle(Redeliver cmd, CancellationToken ct)
    {
        var webhook = await LoadAsync(cmd.WebhookId, cmd.Caller.Client!.Id, ct);
        if (webhook.DeletedAt is not null) throw ProblemException.Conflict("webhook-deleted", "Đăng ký webhook đã bị xóa");
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            var changed = await tx.ExecuteAsync(Sql.Requeue, new { Id = cmd.DeliveryId, cmd.WebhookId, Now = clock.GetUtcNow() });
            if (changed == 0)
            {
                var status = await tx.SingleOrDefaultAsync<string>(Sql.DeliveryStatus, new { Id = cmd.DeliveryId, cmd.WebhookId });
                if (status is null) throw ProblemException.NotFound($"lần gửi {cmd.DeliveryId}");
                throw ProblemException.Conflict("delivery-pending", "Lần gửi này đang chờ gửi", "Chỉ gửi lại được lần gửi đã thành công hoặc đã bị dừng (dead).");
            }
            await tx.CommitAsync();
        }
        var row = await db.SingleOrDefaultAsync<DeliveryRow>(Sql.Delivery, new { Id = cmd.DeliveryId }, ct);
        return row!.ToResponse();
    }

    private async Task<WebhookResponse> LoadAsync(Guid id, Guid clientId, CancellationToken ct) =>
        (await db.SingleOrDefaultAsync<Row>(Sql.ById, new { Id = id, ClientId = clientId }, ct))?.ToResponse()
        ?? throw ProblemException.NotFound($"đăng ký webhook {id}");

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Url { get; init; } = "";
        public string EventTypes { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? DeletedAt { get; init; }

        public WebhookResponse ToResponse() => new(Id, Url, EventTypes.Split(' '), CreatedAt, DeletedAt);
    }

    private sealed record DeliveryRow
    {
        public Guid Id { get; init; }
        public Guid EventId { get; init; }
        public long EventPosition { get; init; }
        public string EventType { get; init; } = "";
        public string DossierCode { get; init; } = "";
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public int? LastStatus { get; init; }
        public string? LastError { get; init; }
        public DateTimeOffset NextAttemptAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? DeliveredAt { get; init; }

        public WebhookDeliveryResponse ToResponse() => new(Id, EventId, EventPosition.ToString(CultureInfo.InvariantCulture), EventType, DossierCode,
            Status, Attempts, LastStatus, LastError, NextAttemptAt, CreatedAt, DeliveredAt);
    }

    internal static class Sql
    {
        public const string CountActive = "SELECT COUNT(*) FROM webhook_subscription WHERE client_id = @ClientId AND deleted_at IS NULL";
        public const string Insert = """
            INSERT INTO webhook_subscription (id, client_id, url, event_types, secret, created_at, deleted_at, pump_claimed_at, paused_until)
            VALUES (@Id, @ClientId, @Url, @Types, @Secret, @Now, NULL, NULL, NULL)
            """;
        public const string ById = "SELECT id, url, event_types, created_at, deleted_at FROM webhook_subscription WHERE id = @Id AND client_id = @ClientId";
        public const string ByClient = """
            SELECT id, url, event_types, created_at, deleted_at FROM webhook_subscription
            WHERE client_id = @ClientId AND deleted_at IS NULL ORDER BY created_at
            """;
        public const string Delete = "UPDATE webhook_subscription SET deleted_at = @Now WHERE id = @Id AND deleted_at IS NULL";
        private const string DeliveryColumns = """
            SELECT d.id, d.event_id, d.event_position, e.event_type, e.dossier_code, d.status, d.attempts, d.last_status, d.last_error,
                   d.next_attempt_at, d.created_at, d.delivered_at
            FROM webhook_delivery d JOIN integration_event e ON e.id = d.event_id
            """;
        public const string Deliveries = DeliveryColumns + """

            WHERE d.subscription_id = @WebhookId AND (@Status IS NULL OR d.status = @Status)
            ORDER BY d.event_position DESC
            """;
        public const string Delivery = DeliveryColumns + " WHERE d.id = @Id";
        public const string DeliveryStatus = "SELECT status FROM webhook_delivery WHERE id = @Id AND subscription_id = @WebhookId";
        public const string Requeue = """
            UPDATE webhook_delivery SET status = 'pending', attempts = 0, next_attempt_at = @Now, last_error = NULL
            WHERE id = @Id AND subscription_id = @WebhookId AND status IN ('dead', 'delivered')
            """;
    }
}

public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhooks").WithTags("Integration")
            .RequireAuthorization(Policies.ClientScope(Scopes.ManageWebhooks))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", async (CreateWebhookRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(new CreateWebhook(request, Caller.From(http.User)), ct);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", created);
            })
            .WithName("CreateWebhook").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject
            {
                ["url"] = "https://ketnoi.phutho.gov.vn/motcua/webhooks",
                ["eventTypes"] = new System.Text.Json.Nodes.JsonArray("RoutedToWard", "Approved", "Rejected", "ResultReturned"),
            })
            .WithSummary("Subscribe a URL to dossier events")
            .WithDescription($"""
                API key with scope `{Scopes.ManageWebhooks}`. Each event the client may see (its procedures and wards) and whose type
                is subscribed is POSTed to the URL as JSON, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
                `webhook-signature: v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>`) with the `secret` shown once in this response.
                At least once, in order per dossier, retried with backoff and dead-lettered after the retry budget (see the README).
                Only events after the subscription was made are delivered; read `GetEvents` for history.
                SSRF rules: http(s) only; the host may not be or resolve to loopback, private, link-local or other special
                addresses (unless configured in `Webhooks:AllowedNetworks`); redirects are never followed.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListWebhooks(Caller.From(http.User)), ct)))
            .WithName("ListWebhooks")
            .WithSummary("The client's webhook subscriptions")
            .WithDescription($"API key with scope `{Scopes.ManageWebhooks}`; a client sees only its own subscriptions.");

        group.MapDelete("/{webhookId:guid}", async (Guid webhookId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new DeleteWebhook(webhookId, Caller.From(http.User)), ct)))
            .WithName("DeleteWebhook")
            .WithSummary("Stop a subscription")
            .WithDescription($"API key with scope `{Scopes.ManageWebhooks}`, own subscriptions only (another client's: 404).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{webhookId:guid}/deliveries", async (Guid webhookId, string? status, int? limit, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListDeliveries(webhookId, Caller.From(http.User), status, limit), ct)))
            .WithName("ListWebhookDeliveries")
            .WithSummary("Deliveries of a subscription, newest first; `status=dead` lists the dead letters")
            .WithDescription($"API key with scope `{Scopes.ManageWebhooks}`, own subscriptions only.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{webhookId:guid}/deliveries/{deliveryId:guid}/redeliver", async (Guid webhookId, Guid deliveryId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Accepted($"/api/v1/webhooks/{webhookId}/deliveries", await mediator.Send(new Redeliver(webhookId, deliveryId, Caller.From(http.User)), ct)))
            .WithName("RedeliverWebhook")
            .WithSummary("Send a dead-lettered (or delivered) event again")
            .WithDescription($"API key with scope `{Scopes.ManageWebhooks}`. The delivery keeps its id (`webhook-id`), so a receiver that already has it can ignore it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
