using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

public sealed record ListWebhooks(Caller Caller) : IQuery<IReadOnlyList<WebhookResponse>>;

public sealed class ListWebhooksHandler(Db db) : IQueryHandler<ListWebhooks, IReadOnlyList<WebhookResponse>>
{
    public async ValueTask<IReadOnlyList<WebhookResponse>> Handle(ListWebhooks query, CancellationToken ct) =>
        (await db.QueryAsync<WebhookRow>(Sql.ByClient, new { ClientId = query.Caller.Client!.Id }, ct)).Select(r => r.ToResponse()).ToList();

    internal static class Sql
    {
        public const string ByClient = """
            SELECT id, url, event_types, created_at, deleted_at FROM webhook_subscription
            WHERE client_id = @ClientId AND deleted_at IS NULL ORDER BY created_at
            """;
    }
}
