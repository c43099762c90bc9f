using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

public sealed record ListDeliveries(Guid WebhookId, Caller Caller, string? Status, int? Limit) : IQuery<IReadOnlyList<WebhookDeliveryResponse>>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Status is not (null or "pending" or "delivered" or "dead")) yield return new("status", "Trạng thái là 'pending', 'delivered' hoặc 'dead'.");
        if (Limit is < 1 or > 500) yield return new("limit", "Số bản ghi mỗi trang từ 1 đến 500.");
    }
}

public sealed class ListDeliveriesHandler(Db db) : IQueryHandler<ListDeliveries, IReadOnlyList<WebhookDeliveryResponse>>
{
    public async ValueTask<IReadOnlyList<WebhookDeliveryResponse>> Handle(ListDeliveries query, CancellationToken ct)
    {
        await WebhookStatements.LoadAsync(db, query.WebhookId, query.Caller.Client!.Id, ct);
        var rows = await db.QueryAsync<WebhookDeliveryRow>(db.Dialect.Limit(WebhookStatements.Sql.Deliveries),
            new { query.WebhookId, query.Status, Limit = query.Limit ?? 100 }, ct);
        return rows.Select(r => r.ToResponse()).ToList();
    }
}
