using System.Globalization;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> EventTypes, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt);

/// <param name="LastError">Why the last attempt failed, as a class only: `timeout`, `connection-refused`, `dns`, `tls`,
/// `address-not-allowed` (the host resolved to a forbidden network when connecting), `http-{status}` (e.g. `http-500`, or
/// `http-307` for a redirect, never followed) or `error`.</param>
/// <param name="DossierCode">The dossier the event is about; null for an entitlement event (see `entitlementId`).</param>
public sealed record WebhookDeliveryResponse(Guid Id, Guid EventId, string Cursor, string EventType, string? DossierCode, string Status, int Attempts,
    int? LastStatus, string? LastError, DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, Guid? EntitlementId = null);

internal sealed record WebhookRow
{
    public Guid Id { get; init; }
    public string Url { get; init; } = "";
    public string EventTypes { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }

    public WebhookResponse ToResponse() => new(Id, Url, EventTypes.Split(' '), CreatedAt, DeletedAt);
}

internal sealed record WebhookDeliveryRow
{
    public Guid Id { get; init; }
    public Guid EventId { get; init; }
    public long EventPosition { get; init; }
    public string EventType { get; init; } = "";
    public string? DossierCode { get; init; }
    public Guid? EntitlementId { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public int? LastStatus { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }

    public WebhookDeliveryResponse ToResponse() => new(Id, EventId, EventPosition.ToString(CultureInfo.InvariantCulture), EventType, DossierCode,
        Status, Attempts, LastStatus, OutboundFailure.Shown(LastError), NextAttemptAt, CreatedAt, DeliveredAt, EntitlementId);
}

internal static class WebhookStatements
{
    internal static async Task<WebhookResponse> LoadAsync(Db db, Guid id, Guid clientId, CancellationToken ct) =>
        (await db.SingleOrDefaultAsync<WebhookRow>(Sql.ById, new { Id = id, ClientId = clientId }, ct))?.ToResponse()
        ?? throw ProblemException.NotFound($"đăng ký webhook {id}");

    internal static class Sql
    {
        public const string ById = "SELECT id, url, event_types, created_at, deleted_at FROM webhook_subscription WHERE id = @Id AND client_id = @ClientId";
        private const string DeliveryColumns = """
            SELECT d.id, d.event_id, d.event_position, e.event_type, e.dossier_code, e.entitlement_id, d.status, d.attempts, d.last_status, d.last_error,
                   d.next_attempt_at, d.created_at, d.delivered_at
            FROM webhook_delivery d JOIN integration_event e ON e.id = d.event_id
            """;
        public const string Deliveries = DeliveryColumns + """

            WHERE d.subscription_id = @WebhookId AND (@Status IS NULL OR d.status = @Status)
            ORDER BY d.event_position DESC
            """;
        public const string Delivery = DeliveryColumns + " WHERE d.id = @Id";
    }
}
