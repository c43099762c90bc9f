using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

public sealed record DeleteWebhook(Guid Id, Caller Caller) : ICommand<WebhookResponse>;

public sealed class DeleteWebhookHandler(Db db, TimeProvider clock) : ICommandHandler<DeleteWebhook, WebhookResponse>
{
    public async ValueTask<WebhookResponse> Handle(DeleteWebhook cmd, CancellationToken ct)
    {
        await WebhookStatements.LoadAsync(db, cmd.Id, cmd.Caller.Client!.Id, ct);
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.Delete, new { cmd.Id, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
        return await WebhookStatements.LoadAsync(db, cmd.Id, cmd.Caller.Client!.Id, ct);
    }

    internal static class Sql
    {
        public const string Delete = "UPDATE webhook_subscription SET deleted_at = @Now WHERE id = @Id AND deleted_at IS NULL";
    }
}
