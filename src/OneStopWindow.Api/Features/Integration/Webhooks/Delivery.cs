using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Settings;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

/// <summary>
/// Standard Webhooks signature (standardwebhooks.com): HMAC-SHA256 keyed with the base64 part of the
/// <c>whsec_</c> secret, over <c>{webhook-id}.{webhook-timestamp}.{body}</c>, sent as <c>v1,{base64}</c>.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }
}

/// <summary>
/// Run by the workflow pump on worker nodes, every <see cref="WebhookOptions.RelayInterval"/> while idle: turns new
/// outbox events into one delivery row per matching subscription (cursor and rows in one transaction), then hands each
/// subscription with due deliveries to a <see cref="DeliverWebhooksJob"/> — at most one at a time per subscription,
/// claimed in the database.
/// </summary>
public sealed class WebhookFollower(IOptions<WebhookOptions> options) : OutboxFollower("webhooks")
{
    public override TimeSpan Interval => options.Value.RelayInterval;

    public override async Task RunRoundAsync(IServiceProvider scope, CancellationToken ct)
    {
        var fanOut = scope.GetRequiredService<WebhookFanOut>();
        while (await fanOut.FanOutAsync(ct) > 0) { }
        await fanOut.HandOutAsync(ct);
    }
}

public sealed class WebhookFanOut(Db db, IBackgroundJobClient jobs, IOptions<WebhookOptions> options, TimeProvider clock)
{
    private const string CursorName = "webhooks";

    /// <summary>One batch of events after the relay's cursor → deliveries. Returns how many events it consumed.</summary>
    public async Task<int> FanOutAsync(CancellationToken ct)
    {
        var cursor = await OutboxCursor.ReadAsync(db, CursorName, ct) ?? 0;
        var events = await EventLog.ReadAsync(db, cursor, 500, ct);
        if (events.Count == 0) return 0;
        var subscriptions = await db.QueryAsync<Target>(Sql.Targets, null, ct);
        var now = clock.GetUtcNow();
        await using var tx = await db.BeginWriteAsync(ct);
        // Compare-and-set on the cursor: if another worker node advanced it meanwhile, this round commits nothing.
        if (!await OutboxCursor.MoveAsync(tx, CursorName, cursor, events[^1].Position)) return 0;
        foreach (var e in events)
            foreach (var s in subscriptions.Where(s => s.Wants(e)))
                await tx.ExecuteAsync(Sql.InsertDelivery, new
                {
                    Id = Guid.CreateVersion7(),
                    SubscriptionId = s.Id,
                    EventId = e.Id,
                    EventPosition = e.Position,
                    DossierId = e.DossierId ?? e.EntitlementId ?? e.PaymentListId,   // the ordering key: one subject's events in order
                    Now = now,
                });
        await tx.CommitAsync();
        return events.Count;
    }

    /// <summary>Enqueues a delivery job for each subscription that has due deliveries and no live job.</summary>
    public async Task HandOutAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stale = now - options.Value.ClaimTimeout;
        foreach (var id in await db.QueryAsync<Guid>(Sql.Due, new { Now = now, Stale = stale }, ct))
        {
            await using var tx = await db.BeginWriteAsync(ct);
            if (await tx.ExecuteAsync(Sql.Claim, new { Id = id, Now = now, Stale = stale }) == 0) continue;
            await tx.CommitAsync();
            jobs.Enqueue<DeliverWebhooksJob>(j => j.Run(id, now, CancellationToken.None));
        }
    }

    private sealed record Target
    {
        public Guid Id { get; init; }
        public Guid ClientId { get; init; }
        public string Name { get; init; } = "";
        public string EventTypes { get; init; } = "";
        public string? Procedures { get; init; }
        public string? Wards { get; init; }

        private ClientAccess? access;

        public bool Wants(IntegrationEventRow e)
        {
            access ??= new ClientAccess(ClientId, Name, new HashSet<string>(), ClientAccess.ParseList(Procedures), ClientAccess.ParseList(Wards));
            return (EventTypes == "*" || EventTypes.Split(' ').Contains(e.EventType)) && access.Sees(e.ProcedureCode, e.WardCode, e.ClientId);
        }
    }

    internal static class Sql
    {
        public const string Targets = """
            SELECT s.id, s.client_id, c.name, s.event_types, c.procedures, c.wards
            FROM webhook_subscription s JOIN api_client c ON c.id = s.client_id
            WHERE s.deleted_at IS NULL AND c.revoked_at IS NULL AND c.scopes LIKE '%webhooks:manage%'
            """;
        public const string InsertDelivery = """
            INSERT INTO webhook_delivery (id, subscription_id, event_id, event_position, dossier_id, status, attempts, next_attempt_at,
                last_status, last_error, created_at, delivered_at)
            VALUES (@Id, @SubscriptionId, @EventId, @EventPosition, @DossierId, 'pending', 0, @Now, NULL, NULL, @Now, NULL)
            """;
        public const string Due = """
            SELECT s.id FROM webhook_subscription s JOIN api_client c ON c.id = s.client_id
            WHERE s.deleted_at IS NULL AND c.revoked_at IS NULL AND (s.paused_until IS NULL OR s.paused_until <= @Now)
              AND (s.pump_claimed_at IS NULL OR s.pump_claimed_at < @Stale)
              AND EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= @Now
                          AND NOT EXISTS (SELECT 1 FROM webhook_delivery p WHERE p.subscription_id = d.subscription_id AND p.dossier_id = d.dossier_id
                                          AND p.status = 'pending' AND p.event_position < d.event_position))
            """;
        public const string Claim = """
            UPDATE webhook_subscription SET pump_claimed_at = @Now
            WHERE id = @Id AND (pump_claimed_at IS NULL OR pump_claimed_at < @Stale)
            """;
    }
}

/// <summary>
/// Delivers a subscription's due deliveries, oldest event first. A delivery waits while an earlier delivery of
/// the same dossier is still pending, so one dossier's events arrive in order; other dossiers go on. Each call
/// goes through the subscriber's own Polly pipeline (timeout, jittered retries, circuit breaker). A failed attempt
/// is rescheduled by <see cref="WebhookOptions.RetryDelays"/>; after the last it is dead-lettered. While the
/// subscriber's circuit is open, no attempt is spent: the subscription pauses until the circuit may close.
/// </summary>
public sealed class DeliverWebhooksJob(
    Db db, IHttpClientFactory httpClients, ResiliencePipelineRegistry<string> pipelines, IOptions<WebhookOptions> options,
    TimeProvider clock, ILogger<DeliverWebhooksJob> logger)
{
    public const string HttpClientName = "webhooks";
    private static readonly TimeSpan RunBudget = TimeSpan.FromSeconds(25);

    /// <param name="subscriptionId">The subscription to deliver for.</param>
    /// <param name="claimedAt">The relay's claim: the job releases only its own claim, never a newer job's.</param>
    /// <param name="ct">Cancelled when the server stops.</param>
    [AutomaticRetry(Attempts = 0)]   // the relay hands the subscription out again; Hangfire's own retries would race it
    [JobDisplayName("Deliver webhooks of {0}")]
    public async Task Run(Guid subscriptionId, DateTimeOffset claimedAt, CancellationToken ct)
    {
        try
        {
            var subscription = await db.SingleOrDefaultAsync<Subscription>(Sql.Subscription, new { Id = subscriptionId }, ct);
            if (subscription is null) return;
            var pipeline = Pipeline(subscriptionId);
            var started = clock.GetUtcNow();
            while (clock.GetUtcNow() - started < RunBudget)
            {
                var due = await db.QueryAsync<Due>(db.Dialect.Limit(Sql.DueDeliveries), new { Id = subscriptionId, Now = clock.GetUtcNow(), Limit = 50 }, ct);
                if (due.Count == 0) return;
                var failedDossiers = new HashSet<Guid>();
                foreach (var d in due)
                {
                    // The claim expires after ClaimTimeout; stop well before, so a second job never overlaps this one.
                    if (clock.GetUtcNow() - started >= RunBudget) return;
                    if (failedDossiers.Contains(d.DossierId)) continue;   // keep this dossier's order: wait for the earlier one
                    var outcome = await SendAsync(subscription, pipeline, d, ct);
                    if (outcome == Outcome.CircuitOpen) return;
                    if (outcome == Outcome.Failed) failedDossiers.Add(d.DossierId);
                }
            }
        }
        finally
        {
            await using var tx = await db.BeginWriteAsync(CancellationToken.None);
            await tx.ExecuteAsync(Sql.Release, new { Id = subscriptionId, Claimed = claimedAt });
            await tx.CommitAsync();
        }
    }

    private enum Outcome { Delivered, Failed, CircuitOpen }

    private async Task<Outcome> SendAsync(Subscription s, ResiliencePipeline<HttpResponseMessage> pipeline, Due d, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new WebhookPayload(d.EventType, d.OccurredAt, d.Event.ToResponse()), JsonSerializerOptions.Web);
        var id = d.Id.ToString("D");
        var http = httpClients.CreateClient(HttpClientName);
        int? status = null;
        string? error = null;   // a failure class (OutboundFailure), never an exception's text
        var called = false;
        try
        {
            using var response = await pipeline.ExecuteAsync(async token =>
            {
                var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, s.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("webhook-id", id);
                request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.Add("webhook-signature", WebhookSignature.Sign(s.Secret, id, timestamp, body));
                request.Headers.UserAgent.ParseAdd("OneStopWindow-Webhooks/1");
                called = true;
                (status, error) = (null, null);
                try
                {
                    var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                    (status, error) = ((int)answer.StatusCode, answer.IsSuccessStatusCode ? null : OutboundFailure.Of(answer.StatusCode));
                    return answer;
                }
                catch (Exception x)
                {
                    error = OutboundFailure.Of(x);   // kept for the case where the circuit opens on the retry after this call
                    throw;
                }
            }, ct);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await RecordAsync(Sql.Delivered, new { d.Id, Status = status, Now = clock.GetUtcNow() });
                return Outcome.Delivered;
            }
            error = OutboundFailure.Of(response.StatusCode);   // a redirect too (http-3xx): never followed
        }
        catch (BrokenCircuitException broken)
        {
            var until = clock.GetUtcNow() + (broken.RetryAfter ?? options.Value.BreakDuration);
            await RecordAsync(Sql.Pause, new { Id = s.Id, Until = until });
            logger.LogInformation("Webhook subscriber {Subscription} circuit open; paused until {Until}", s.Id, until);
            // No attempt is spent while the circuit is open, but a call that failed before it opened counts.
            if (!called) return Outcome.CircuitOpen;
            await FailAsync(d, status, error ?? OutboundFailure.Other);
            return Outcome.CircuitOpen;
        }
        catch (Exception x) when (x is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = OutboundFailure.Of(x);
        }
        await FailAsync(d, status, error ?? OutboundFailure.Other);
        return Outcome.Failed;
    }

    private async Task FailAsync(Due d, int? status, string error)
    {
        // 410 Gone says "stop sending"; a redirect will not change by retrying: both are dead-lettered at once.
        var delays = options.Value.Delays;
        var attempts = d.Attempts + 1;
        var dead = status is 410 or (>= 300 and < 400) || attempts > delays.Count;
        await RecordAsync(dead ? Sql.Dead : Sql.Retry, new
        {
            d.Id,
            Status = status,
            Error = error,
            Next = clock.GetUtcNow() + (dead ? TimeSpan.Zero : Jitter(delays[attempts - 1])),
        });
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + Random.Shared.NextDouble() * 0.4);

    private async Task RecordAsync(string sql, object args)
    {
        await using var tx = await db.BeginWriteAsync(CancellationToken.None);
        await tx.ExecuteAsync(sql, args);
        await tx.CommitAsync();
    }

    /// <summary>One pipeline per subscriber, so one failing receiver never opens another's circuit.</summary>
    private ResiliencePipeline<HttpResponseMessage> Pipeline(Guid subscriptionId)
    {
        var o = options.Value;
        return pipelines.GetOrAddPipeline<HttpResponseMessage>("webhook:" + subscriptionId.ToString("N"), builder =>
        {
            var transient = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TimeoutRejectedException>()
                .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
            builder
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    ShouldHandle = transient,
                    MaxRetryAttempts = Math.Max(o.QuickRetries, 1),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = o.QuickRetryDelay,
                })
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
                {
                    ShouldHandle = transient,
                    FailureRatio = 0.5,
                    MinimumThroughput = Math.Max(o.BreakerMinimumThroughput, 2),
                    SamplingDuration = TimeSpan.FromSeconds(60),
                    BreakDuration = o.BreakDuration,
                })
                .AddTimeout(o.AttemptTimeout);
        });
    }

    private sealed record Subscription
    {
        public Guid Id { get; init; }
        public string Url { get; init; } = "";
        public string Secret { get; init; } = "";
    }

    /// <summary>A due delivery read together with its event (one query per batch).</summary>
    private sealed record Due
    {
        public Guid Id { get; init; }
        public Guid EventId { get; init; }
        public long EventPosition { get; init; }
        /// <summary>The delivery's ordering key: the dossier's id, or the entitlement's.</summary>
        public Guid DossierId { get; init; }
        public int Attempts { get; init; }
        public string? DossierCode { get; init; }
        public Guid? EntitlementId { get; init; }
        public Guid? PaymentListId { get; init; }
        public Guid? PaymentLineId { get; init; }
        public string ProcedureCode { get; init; } = "";
        public string? WardCode { get; init; }
        public string EventType { get; init; } = "";
        public string StatusAfter { get; init; } = "";
        public int Version { get; init; }
        public DateTimeOffset OccurredAt { get; init; }

        public IntegrationEventRow Event => new()
        {
            Position = EventPosition,
            Id = EventId,
            DossierId = EntitlementId is null && PaymentListId is null ? DossierId : null,
            DossierCode = DossierCode,
            EntitlementId = EntitlementId,
            PaymentListId = PaymentListId,
            PaymentLineId = PaymentLineId,
            ProcedureCode = ProcedureCode,
            WardCode = WardCode,
            EventType = EventType,
            StatusAfter = StatusAfter,
            Version = Version,
            OccurredAt = OccurredAt,
        };
    }

    internal static class Sql
    {
        public const string Subscription = """
            SELECT s.id, s.url, s.secret FROM webhook_subscription s JOIN api_client c ON c.id = s.client_id
            WHERE s.id = @Id AND s.deleted_at IS NULL AND c.revoked_at IS NULL
            """;
        public const string DueDeliveries = """
            SELECT d.id, d.event_id, d.event_position, d.dossier_id, d.attempts, e.dossier_code, e.procedure_code, e.ward_code, e.event_type,
                   e.status_after, e.version, e.occurred_at, e.entitlement_id, e.payment_list_id, e.payment_line_id
            FROM webhook_delivery d JOIN integration_event e ON e.id = d.event_id
            WHERE d.subscription_id = @Id AND d.status = 'pending' AND d.next_attempt_at <= @Now
              AND NOT EXISTS (SELECT 1 FROM webhook_delivery p WHERE p.subscription_id = d.subscription_id AND p.dossier_id = d.dossier_id
                              AND p.status = 'pending' AND p.event_position < d.event_position)
            ORDER BY d.event_position
            """;
        public const string Delivered = """
            UPDATE webhook_delivery SET status = 'delivered', attempts = attempts + 1, last_status = @Status, last_error = NULL, delivered_at = @Now
            WHERE id = @Id
            """;
        public const string Retry = """
            UPDATE webhook_delivery SET attempts = attempts + 1, last_status = @Status, last_error = @Error, next_attempt_at = @Next WHERE id = @Id
            """;
        public const string Dead = """
            UPDATE webhook_delivery SET status = 'dead', attempts = attempts + 1, last_status = @Status, last_error = @Error, next_attempt_at = @Next
            WHERE id = @Id
            """;
        public const string Pause = "UPDATE webhook_subscription SET paused_until = @Until WHERE id = @Id";
        public const string Release = "UPDATE webhook_subscription SET pump_claimed_at = NULL WHERE id = @Id AND pump_claimed_at = @Claimed";
    }
}

/// <summary>The body of every webhook POST (Standard Webhooks payload shape).</summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, IntegrationEventResponse Data);

public static class WebhookSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WebhookOptions>(WebhookOptions.Section);
        var webhooks = Settings.Read<WebhookOptions>(configuration, WebhookOptions.Section);
        services.AddSingleton(new OutboundGuard(webhooks.AllowedNetworks, nat64Prefixes: webhooks.Nat64Prefixes));
        services.AddHttpClient(DeliverWebhooksJob.HttpClientName, c => c.Timeout = TimeSpan.FromMinutes(2))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler());
        services.AddSingleton<ResiliencePipelineRegistry<string>>();
        services.AddScoped<WebhookFanOut>();
        services.AddTransient<DeliverWebhooksJob>();
        services.AddSingleton<OutboxFollower, WebhookFollower>();
        return services;
    }
}
