using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

public sealed record Redeliver(Guid WebhookId, Guid DeliveryId, Caller Caller) : ICommand<WebhookDeliveryResponse>;

public sealed class RedeliverHandler(Db db, TimeProvider clock) : ICommandHandler<Redeliver, WebhookDeliveryResponse>
{
    /// <summary>Puts a delivery back in the queue (same delivery id, so the subscriber can de-duplicate).</summary>
    public async ValueTask<WebhookDeliveryResponse> Handle(Redeliver cmd, CancellationToken ct)
    {
        var webhook = await WebhookStatements.LoadAsync(db, cmd.WebhookId, cmd.Caller.Client!.Id, ct);
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
        var row = await db.SingleOrDefaultAsync<WebhookDeliveryRow>(WebhookStatements.Sql.Delivery, new { Id = cmd.DeliveryId }, ct);
        return row!.ToResponse();
    }

    internal static class Sql
    {
        public const string DeliveryStatus = "SELECT status FROM webhook_delivery WHERE id = @Id AND subscription_id = @WebhookId";
        public const string Requeue = """
            UPDATE webhook_delivery SET status = 'pending', attempts = 0, next_attempt_at = @Now, last_error = NULL
            WHERE id = @Id AND subscription_id = @WebhookId AND status IN ('dead', 'delivered')
            """;
    }
}
